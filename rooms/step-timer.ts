import type { Clock, Delayed } from "@colyseus/core";

/**
 * One timer of a room whose expiry runs as a room step, in turn with the intents. Arming it again replaces it, and
 * clearing it stops it; either way a step it already queued behind another step does nothing when its turn comes,
 * so a stale expiry (a shot clock the shot already stopped) never acts. `showDeadline`, where given, puts when it
 * runs out (ms since the epoch; 0 when stopped or due at once) where players see it.
 */
export class StepTimer {
  readonly #clock: Clock;
  readonly #runStep: (step: () => void | Promise<void>) => Promise<void>;
  #delayed: Delayed | undefined;
  readonly #showDeadline: (deadlineMs: number) => void;
  #generation = 0;

  constructor(
    clock: Clock,
    runStep: (step: () => void | Promise<void>) => Promise<void>,
    showDeadline: (deadlineMs: number) => void = () => {},
  ) {
    this.#clock = clock;
    this.#runStep = runStep;
    this.#showDeadline = showDeadline;
  }

  arm(delayMs: number, onExpiry: () => void | Promise<void>): void {
    this.clear();
    if (delayMs > 0) this.#showDeadline(Date.now() + delayMs);
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
    this.#showDeadline(0);
  }
}
