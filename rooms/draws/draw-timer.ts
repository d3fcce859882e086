import { type DrawsState, pendingAttempt, type Seat } from "../../simulation/draws/index.ts";
import type { StepTimer } from "../step-timer.ts";

/**
 * The draw timer: armed once per attempt (when the stakes are held, and again after each tie); when it runs out the
 * room draws for each seat that has not pressed (the timeout rule), one at a time while that attempt still waits.
 */
export class DrawTimer {
  readonly #timer: StepTimer;
  readonly #engine: () => DrawsState;
  readonly #autoDraw: (seat: Seat) => Promise<void>;
  #armedFor: string | null = null;

  constructor(timer: StepTimer, engine: () => DrawsState, autoDraw: (seat: Seat) => Promise<void>) {
    this.#timer = timer;
    this.#engine = engine;
    this.#autoDraw = autoDraw;
  }

  /** After each step: arms for an attempt that just started, stops when none waits. */
  follow(delayMs: number): void {
    const attempt = pendingAttempt(this.#engine());
    if (!attempt) {
      this.stop();
      return;
    }
    if (attempt.id === this.#armedFor) return;
    this.#armedFor = attempt.id;
    this.#timer.arm(delayMs, async () => {
      for (let p = pendingAttempt(this.#engine()); p?.id === attempt.id; p = pendingAttempt(this.#engine())) {
        await this.#autoDraw(p.undrawn[0]!);
      }
    });
  }

  /** Stops it; the next follow arms it again, even for the same attempt (a closing room draws at once). */
  stop(): void {
    this.#armedFor = null;
    this.#timer.clear();
  }
}
