import type { PlayerId } from "../../simulation/pool/eightball/index.ts";
import {
  type MatchClock,
  type MatchClockSettings,
  startMatchClock,
  startTurn,
  stopTurn,
  takeExtension,
} from "../../simulation/pool/match.ts";
import type { StepTimer } from "../step-timer.ts";

export interface PoolTimerSettings extends MatchClockSettings {
  /** How long both stakes may wait for acceptance once both seats are taken. */
  acceptMs: number;
}

export interface PoolTimerExpiries {
  /** The running shot clock ran out. */
  turn(): void | Promise<void>;
  /** The match-time cap was reached. */
  cap(): void | Promise<void>;
  /** The stakes were not both accepted in time. */
  accept(): void | Promise<void>;
}

/**
 * A pool match's three timers: the shot clock of whoever is to play (with its extensions), the match-time cap, and,
 * before the break, the window for accepting the stakes. The deadlines are the match engine's pure clock
 * (simulation/pool/match.ts); this arms a room timer at each and runs its expiry as a room step.
 */
export class PoolTimers {
  readonly #settings: PoolTimerSettings;
  readonly #expiries: PoolTimerExpiries;
  readonly #turn: StepTimer;
  readonly #cap: StepTimer;
  readonly #accept: StepTimer;
  /** Null until the stakes are held. */
  #clock: MatchClock | null = null;

  constructor(settings: PoolTimerSettings, timer: () => StepTimer, expiries: PoolTimerExpiries) {
    this.#settings = settings;
    this.#expiries = expiries;
    this.#turn = timer();
    this.#cap = timer();
    this.#accept = timer();
  }

  /** When the running shot clock runs out (ms since the epoch), or 0 while none runs. */
  get turnDeadlineMs(): number {
    return this.#clock?.turnDeadlineMs ?? 0;
  }

  get matchDeadlineMs(): number {
    return this.#clock?.matchDeadlineMs ?? 0;
  }

  extensionsLeft(seat: PlayerId): number {
    return this.#clock?.extensionsLeft[seat] ?? 0;
  }

  awaitAcceptance(): void {
    this.#accept.arm(this.#settings.acceptMs, this.#expiries.accept);
  }

  stopAcceptance(): void {
    this.#accept.clear();
  }

  /** The stakes are held: the accept window closes and the match-time cap starts. */
  startMatch(nowMs: number): void {
    this.#accept.clear();
    this.#clock = startMatchClock(this.#settings, nowMs);
    this.#cap.arm(this.#settings.matchMs, this.#expiries.cap);
  }

  /** Starts the next turn's shot clock in full. */
  startTurn(nowMs: number): void {
    if (!this.#clock) return;
    this.#clock = startTurn(this.#clock, this.#settings, nowMs);
    this.#armTurn(nowMs);
  }

  /** Adds an extension to `seat`'s running shot clock; throws the engine's MatchRefusal when none may be taken. */
  extend(seat: PlayerId, nowMs: number): void {
    if (!this.#clock) return;
    this.#clock = takeExtension(this.#clock, this.#settings, seat, nowMs);
    this.#armTurn(nowMs);
  }

  /** A shot is on the table: no shot clock runs until it settles. */
  stopTurn(): void {
    this.#turn.clear();
    if (this.#clock) this.#clock = stopTurn(this.#clock);
  }

  /** The match is over (or the room is going): nothing fires any more. */
  stop(): void {
    this.stopTurn();
    this.#cap.clear();
    this.#accept.clear();
  }

  #armTurn(nowMs: number): void {
    this.#turn.arm(this.turnDeadlineMs - nowMs, this.#expiries.turn);
  }
}
