import type { Clock, Delayed } from "@colyseus/core";

/**
 * One timer of a room whose expiry runs as a room step, in turn with the intents. Arming it again replaces it, and
 * clearing it stops it; either way a step it already queued behind another step does nothing when its turn comes,
 * so a stale expiry (a shot clock the shot already stopped) never acts.
 */
export class StepTimer {
  readonly #clock: Clock;
  readonly #runStep: (step: () => void | Promise<void>) => Promise<void>;
  #delayed: Delayed | undefined;
  #generation = 0;

  constructor(clock: Clock, runStep: (step: () => void | Promise<void>) => Promise<void>) {
    this.#clock = clock;
    this.#runStep = runStep;
  }

  arm(delayMs: number, onExpiry: () => void | Promise<void>): void {
    this.clear();
    const generation = this.#generation;
    this.#delayed = this.#clock.setTimeout(
      () => void this.#runStep(() => (generation === this.#generation ? onExpiry() : undefined)),
      Math.max(0, delayMs),
    );
  }

  clear(): void {
    this.#delayed?.clear();
    this.#delayed = undefined;
    this.#generation += 1;
  }
}
