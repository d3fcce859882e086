import { hashServerSeed, isClientSeed, isNonce, isServerSeed, type SeedState, takeNonce } from "../rng/index.ts";
import { assertValidDrawsConfig, type DrawsConfig, winsToTakeSeries } from "./config.ts";
import { attemptCards, higherCardSeat } from "./draw-cards.ts";
import { otherSeat, type RoundSettlement, type Seat, settleNothing, settlePush, settleWin } from "./settlement.ts";
import type {
  DrawAttempt,
  DrawsAction,
  DrawsActionResult,
  DrawsErrorCode,
  DrawsEvent,
  DrawsState,
  RoundOutcome,
  RoundResult,
} from "./state.ts";

class RuleViolation extends Error {
  readonly code: DrawsErrorCode;
  constructor(code: DrawsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function fail(code: DrawsErrorCode, message: string): never {
  throw new RuleViolation(code, message);
}

/** The first thing wrong with a seed state, or null. */
export function seedStateProblem(seeds: SeedState): string | null {
  if (typeof seeds !== "object" || seeds === null) return "seeds must be an object";
  if (typeof seeds.serverSeed !== "string" || !isServerSeed(seeds.serverSeed)) {
    return "server seed must be 64 lowercase hex characters";
  }
  if (seeds.serverSeedHash !== hashServerSeed(seeds.serverSeed)) return "serverSeedHash is not SHA-256 of the seed";
  if (typeof seeds.clientSeed !== "string" || !isClientSeed(seeds.clientSeed)) {
    return "client seed must match [A-Za-z0-9_-]{1,64}";
  }
  if (typeof seeds.nonce !== "number" || !isNonce(seeds.nonce)) return "nonce must be a non-negative safe integer";
  return null;
}

/**
 * A new match waiting for round 1's stakes. `seeds` is the table's committed seed state (createSeedState); each
 * draw attempt takes its next nonce, and `state.seeds` always holds the next unused one. Bad config or seeds are
 * programming errors, so they throw.
 */
export function createDrawsMatch(config: DrawsConfig, seeds: SeedState): DrawsState {
  assertValidDrawsConfig(config);
  const problem = seedStateProblem(seeds);
  if (problem) throw new RangeError(problem);
  return {
    config: { ...config },
    seeds: { ...seeds },
    phase: "awaiting_stakes",
    round: 1,
    offers: [null, null],
    stakeMinor: null,
    attempts: [],
    result: null,
    wins: [0, 0],
    pushes: 0,
    match: { over: false, winnerSeat: null, reason: null },
  };
}

/**
 * The one entry point: validates `action` against `state` and returns the next state with what happened, or an
 * error with `state` untouched. Work happens on a copy that is dropped on error.
 */
export function applyDrawsAction(state: DrawsState, action: DrawsAction): DrawsActionResult {
  const draft = new MatchDraft(state);
  try {
    draft.apply(action);
  } catch (error) {
    if (error instanceof RuleViolation) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  return { ok: true, state: draft.s, events: draft.events };
}

/**
 * A seat leaves the match. With stakes held, the other seat is paid the pot (less rake when the config's
 * forfeitPaysRake says so); before that nothing moves. After a resolved round, that round's result stands. Either
 * way the match ends and the other seat takes the series.
 */
export function forfeit(state: DrawsState, seat: Seat): DrawsActionResult {
  return applyDrawsAction(state, { type: "forfeit", seat });
}

function cloneAttempt(attempt: DrawAttempt): DrawAttempt {
  return { ...attempt, cards: [attempt.cards[0], attempt.cards[1]], auto: [attempt.auto[0], attempt.auto[1]] };
}

function cloneSettlement(settlement: RoundSettlement): RoundSettlement {
  return { ...settlement, seats: [{ ...settlement.seats[0] }, { ...settlement.seats[1] }] };
}

function cloneResult(result: RoundResult): RoundResult {
  return { ...result, attempts: result.attempts.map(cloneAttempt), settlement: cloneSettlement(result.settlement) };
}

/** A deep copy, written out because structuredClone costs several times more on the hot path. */
function cloneState(state: DrawsState): DrawsState {
  return {
    ...state,
    config: { ...state.config },
    seeds: { ...state.seeds },
    offers: [state.offers[0], state.offers[1]],
    attempts: state.attempts.map(cloneAttempt),
    result: state.result ? cloneResult(state.result) : null,
    wins: [state.wins[0], state.wins[1]],
    match: { ...state.match },
  };
}

const SEAT_ACTIONS: ReadonlySet<string> = new Set(["stake", "withdrawStake", "draw", "forfeit"]);

class MatchDraft {
  readonly s: DrawsState;
  readonly events: DrawsEvent[] = [];

  constructor(state: DrawsState) {
    this.s = cloneState(state);
  }

  apply(action: DrawsAction): void {
    if (typeof action !== "object" || action === null || typeof action.type !== "string") {
      fail("BAD_ACTION", "an action is an object with a type");
    }
    if (SEAT_ACTIONS.has(action.type)) {
      const seat = (action as { seat?: unknown }).seat;
      if (seat !== 0 && seat !== 1) fail("BAD_SEAT", "seat must be 0 or 1");
    }
    switch (action.type) {
      case "stake":
        this.stake(action.seat, action.stakeMinor);
        return;
      case "withdrawStake":
        this.withdrawStake(action.seat);
        return;
      case "draw":
        this.draw(action.seat, action.auto);
        return;
      case "forfeit":
        this.forfeit(action.seat);
        return;
      case "settle":
        this.settle();
        return;
      case "nextRound":
        this.nextRound();
        return;
      case "useSeeds":
        this.useSeeds(action.seeds);
        return;
      default:
        fail("BAD_ACTION", `unknown action "${(action as { type: string }).type}"`);
    }
  }

  private expectPhase(phase: DrawsState["phase"], doing: string): void {
    if (this.s.phase !== phase) fail("WRONG_PHASE", `cannot ${doing} in phase ${this.s.phase}`);
  }

  private stake(seat: Seat, stakeMinor: bigint): void {
    this.expectPhase("awaiting_stakes", "stake");
    const { minStakeMinor, maxStakeMinor } = this.s.config;
    if (typeof stakeMinor !== "bigint") fail("BAD_ACTION", "stakeMinor must be a bigint");
    if (stakeMinor < minStakeMinor || stakeMinor > maxStakeMinor) {
      fail("STAKE_OUT_OF_RANGE", `stake must be ${minStakeMinor}..${maxStakeMinor} minor units`);
    }
    if (this.s.offers[seat] !== null) {
      fail("ALREADY_STAKED", `seat ${seat} already offered ${this.s.offers[seat]}; withdraw it to change it`);
    }
    const other = this.s.offers[otherSeat(seat)];
    if (other !== null && other !== stakeMinor) {
      fail("STAKES_DIFFER", `seat ${otherSeat(seat)} offered ${other}; both seats must stake the same amount`);
    }
    this.s.offers[seat] = stakeMinor;
    this.events.push({ type: "stakeOffered", seat, stakeMinor });
    if (other === null) return;
    // Every attempt the round may need must have a nonce, so a tie can never run the seed dry mid-round.
    if (!isNonce(this.s.seeds.nonce + this.s.config.maxRedraws + 1)) {
      fail("BAD_SEEDS", "this seed's nonces are used up: rotate the seeds before the next round");
    }
    this.s.stakeMinor = stakeMinor;
    this.s.phase = "awaiting_draws";
    this.events.push({ type: "stakesHeld", round: this.s.round, stakeMinor, potMinor: stakeMinor * 2n });
    this.startAttempt();
  }

  private withdrawStake(seat: Seat): void {
    this.expectPhase("awaiting_stakes", "withdraw a stake");
    if (this.s.offers[seat] === null) fail("NO_STAKE", `seat ${seat} has not offered a stake`);
    this.s.offers[seat] = null;
    this.events.push({ type: "stakeWithdrawn", seat });
  }

  /** Takes the next nonce for a fresh shuffle. */
  private startAttempt(): void {
    const { nonce, next } = takeNonce(this.s.seeds);
    this.s.seeds = next;
    this.s.attempts.push({
      serverSeedHash: next.serverSeedHash,
      clientSeed: next.clientSeed,
      nonce,
      cards: [null, null],
      auto: [false, false],
    });
    this.events.push({ type: "attemptStarted", round: this.s.round, attempt: this.s.attempts.length - 1, nonce });
  }

  private draw(seat: Seat, auto: boolean | undefined): void {
    this.expectPhase("awaiting_draws", "draw");
    if (auto !== undefined && typeof auto !== "boolean") fail("BAD_ACTION", "auto must be a boolean");
    const index = this.s.attempts.length - 1;
    const attempt = this.s.attempts[index];
    if (attempt.cards[seat] !== null) fail("ALREADY_DRAWN", `seat ${seat} has already drawn this attempt`);
    const cards = attemptCards({
      serverSeed: this.s.seeds.serverSeed,
      clientSeed: attempt.clientSeed,
      nonce: attempt.nonce,
    });
    attempt.cards[seat] = cards[seat];
    attempt.auto[seat] = auto === true;
    this.events.push({
      type: "cardDrawn",
      seat,
      card: cards[seat],
      attempt: index,
      nonce: attempt.nonce,
      auto: auto === true,
    });
    if (attempt.cards[otherSeat(seat)] === null) return;

    const winner = higherCardSeat(cards);
    if (winner !== null) {
      this.finishRound("win", winner, null, settleWin(winner, this.heldStake(), this.s.config));
      return;
    }
    this.events.push({ type: "tie", attempt: index, nonce: attempt.nonce });
    const redrawsTaken = this.s.attempts.length - 1;
    if (redrawsTaken < this.s.config.maxRedraws) {
      this.startAttempt();
      return;
    }
    this.finishRound("push", null, null, settlePush(this.heldStake()));
  }

  private heldStake(): bigint {
    if (this.s.stakeMinor === null) throw new Error("no stake held in phase awaiting_draws");
    return this.s.stakeMinor;
  }

  private forfeit(seat: Seat): void {
    if (this.s.match.over) fail("MATCH_OVER", "the match is already over");
    const stayed = otherSeat(seat);
    if (this.s.phase === "awaiting_stakes") {
      this.finishRound("forfeit", stayed, seat, settleNothing());
    } else if (this.s.phase === "awaiting_draws") {
      const settlement = settleWin(stayed, this.heldStake(), this.s.config, this.s.config.forfeitPaysRake);
      this.finishRound("forfeit", stayed, seat, settlement);
    }
    if (!this.s.match.over) this.endMatch(stayed, "forfeit");
  }

  private finishRound(
    outcome: RoundOutcome,
    winner: Seat | null,
    forfeitedBy: Seat | null,
    settlement: RoundSettlement,
  ) {
    const stakesHeld = this.s.stakeMinor !== null;
    const result: RoundResult = {
      round: this.s.round,
      outcome,
      winnerSeat: winner,
      forfeitedBy,
      stakesHeld,
      stakeMinor: this.s.stakeMinor ?? 0n,
      attempts: this.s.attempts.map(cloneAttempt),
      settlement,
    };
    this.s.result = result;
    this.s.phase = "resolved";
    if (outcome === "push") this.s.pushes += 1;
    else if (winner !== null && stakesHeld) this.s.wins[winner] += 1;
    this.events.push({ type: "roundResolved", result: cloneResult(result) });

    if (forfeitedBy !== null) return;
    const { bestOf, maxRounds } = this.s.config;
    if (bestOf !== null && winner !== null && this.s.wins[winner] >= winsToTakeSeries(bestOf)) {
      this.endMatch(winner, "series");
    } else if (this.s.round >= maxRounds) {
      this.endMatch(null, "maxRounds");
    }
  }

  private endMatch(winner: Seat | null, reason: "series" | "forfeit" | "maxRounds"): void {
    this.s.match = { over: true, winnerSeat: winner, reason };
    this.events.push({ type: "matchOver", winnerSeat: winner, reason });
  }

  private settle(): void {
    this.expectPhase("resolved", "settle");
    this.s.phase = "settled";
    this.events.push({ type: "roundSettled", round: this.s.round });
  }

  private nextRound(): void {
    this.expectPhase("settled", "start the next round");
    if (this.s.match.over) fail("MATCH_OVER", "the match is over");
    this.s.round += 1;
    this.s.phase = "awaiting_stakes";
    this.s.offers = [null, null];
    this.s.stakeMinor = null;
    this.s.attempts = [];
    this.s.result = null;
    this.events.push({ type: "roundStarted", round: this.s.round });
  }

  /** New seeds (after rotateSeeds) only between rounds, so one round's attempts always share a seed. */
  private useSeeds(seeds: SeedState): void {
    if (this.s.phase !== "awaiting_stakes" && this.s.phase !== "settled") {
      fail("WRONG_PHASE", `cannot change seeds in phase ${this.s.phase}`);
    }
    if (this.s.phase === "awaiting_stakes" && this.s.offers.some((offer) => offer !== null)) {
      fail("WRONG_PHASE", "cannot change seeds while a stake is offered");
    }
    const problem = seedStateProblem(seeds);
    if (problem) fail("BAD_SEEDS", problem);
    this.s.seeds = { ...seeds };
    this.events.push({
      type: "seedsChanged",
      serverSeedHash: seeds.serverSeedHash,
      clientSeed: seeds.clientSeed,
      nonce: seeds.nonce,
    });
  }
}
