// One 8-ball match as pure data: the provably fair coin toss and racks, the balls on the table, the checks made on a
// shot before it is simulated, and the rules applied to its result. The room drives it live; the replay tool drives
// it again from the stored inputs. Nothing here waits, talks to the wallet or keeps time.

import { FairNumberStream, type FairSeeds, LazyShuffle, uniformInt } from "../rng/index.ts";
import {
  applyDecision,
  applyShot,
  createEightBallGame,
  type Decision,
  type DecisionOutcome,
  type EightBallState,
  type GameOverReason,
  groupOf,
  isShooterOnEight,
  type PlayerId,
  type PocketId,
  type ShotOutcome,
  type ShotSummary,
  validateShotIntent,
} from "./eightball/index.ts";
import { summarizeShot } from "./eightball-summary.ts";
import {
  type BallPlacement,
  CUE_BALL_ID,
  type CueStrike,
  MAX_CUE_BALL_SPEED_M_S,
  MISCUE_OFFSET_LIMIT,
  rackEightBall,
  type ShotInput,
  type ShotResult,
  type TableSize,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "./index.ts";

/** The fourteen balls other than the 8, in the order the shuffle starts from. */
const RACK_BALLS: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]);
/** Rack slots (rackEightBall's order) of the back row's two corners. */
const BACK_CORNERS = [9, 13] as const;
/** Nonce 0 of a match's seeds tosses the coin; rack r (1, 2, … after re-racks) is shuffled with nonce r. */
export const COIN_TOSS_NONCE = 0;
/** A placed cue ball keeps this clear of every other ball, on top of touching distance. */
const PLACEMENT_CLEARANCE_M = 1e-6;

/** A refusal of a shot or decision before anything changes: a stable code and a sentence. */
export class MatchRefusal extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MatchRefusal";
    this.code = code;
  }
}

/** The coin toss: the first number of the stream for (serverSeed, clientSeed, nonce 0), uniform on {0, 1}. */
export function coinTossBreaker(seeds: Omit<FairSeeds, "nonce">): PlayerId {
  return uniformInt(new FairNumberStream({ ...seeds, nonce: COIN_TOSS_NONCE }), 2) as PlayerId;
}

/**
 * Rack r's order (rackEightBall slots, apex first): a Fisher–Yates shuffle of balls 1–7 and 9–15 with the stream
 * for nonce r. WPA 3.2 wants a solid and a stripe in the back corners: when both corners hold the same group, the
 * second corner swaps with the first ball of the other group in slot order.
 */
export function rackOrder(seeds: Omit<FairSeeds, "nonce">, rack: number): number[] {
  const order = new LazyShuffle(RACK_BALLS, new FairNumberStream({ ...seeds, nonce: rack })).take(RACK_BALLS.length);
  const solid = (ball: number) => ball < 8;
  const [a, b] = BACK_CORNERS;
  if (solid(order[a]!) === solid(order[b]!)) {
    const swap = order.findIndex((ball) => solid(ball) !== solid(order[a]!));
    [order[b], order[swap]] = [order[swap]!, order[b]!];
  }
  return order;
}

/** What a player sends to shoot: the cue (rules pocket numbering for the call) and, with ball in hand, the cue ball. */
export interface ShotRequest {
  /** Cue direction in the table plane, radians from +x (the foot). */
  directionRad: number;
  /** Cue ball speed just after the strike, m/s: (0, MAX_CUE_BALL_SPEED_M_S]. */
  speed: number;
  /** Tip offsets as fractions of the ball's radius; within MISCUE_OFFSET_LIMIT of centre together. */
  side: number;
  vertical: number;
  /** Cue elevation in degrees; only a level cue (0) is played, the physics has no massé or jump. */
  elevationDeg: number;
  /** Pocket called for the 8 (rules numbering 0–5), required when the shooter is on the 8. */
  calledPocket: PocketId | null;
  /** With ball in hand: where the cue ball goes. Refused otherwise. */
  cueBall: { x: number; y: number } | null;
}

export type MatchStep =
  | { kind: "shot"; seat: PlayerId; request: ShotRequest }
  | { kind: "decision"; seat: PlayerId; decision: Decision }
  /** The shot clock ran out: ruled as a shot that touched nothing (a foul; on a break, an illegal break). */
  | { kind: "timeout"; seat: PlayerId };

export interface AppliedShot {
  summary: ShotSummary;
  outcome: ShotOutcome;
}

export interface AppliedDecision {
  outcome: DecisionOutcome;
}

export type PoolSeat = PlayerId;

export class PoolMatch {
  readonly table: TableSize;
  readonly seeds: Omit<FairSeeds, "nonce">;
  readonly steps: MatchStep[] = [];
  rules: EightBallState;
  /** Balls on the bed, at rest (the cue ball is absent while it is in hand and not yet placed). */
  balls: BallPlacement[];

  constructor(table: TableSize, seeds: Omit<FairSeeds, "nonce">) {
    this.table = table;
    this.seeds = { serverSeed: seeds.serverSeed, clientSeed: seeds.clientSeed };
    this.rules = createEightBallGame({ breaker: coinTossBreaker(this.seeds) });
    this.balls = rackEightBall(table, rackOrder(this.seeds, 1));
  }

  get over(): boolean {
    return this.rules.phase === "gameOver";
  }

  cueBall(): BallPlacement | undefined {
    return this.balls.find((ball) => ball.id === CUE_BALL_ID);
  }

  /** Checks a shot by `seat` and returns the physics input; throws MatchRefusal and changes nothing if refused. */
  prepareShot(seat: PlayerId, request: ShotRequest): ShotInput {
    const ruleError = validateShotIntent(this.rules, seat, { calledPocket: request.calledPocket });
    if (ruleError) throw new MatchRefusal(ruleError.code.toUpperCase(), ruleError.message);
    const strike = checkStrike(request);
    const others = this.balls.filter((ball) => ball.id !== CUE_BALL_ID);
    let cue = this.cueBall();
    if (this.rules.ballInHand !== null || !cue) {
      if (!request.cueBall) {
        throw new MatchRefusal(
          "PLACEMENT_REQUIRED",
          "you have the cue ball in hand: send cueBall {x, y} with the shot",
        );
      }
      this.checkPlacement(
        request.cueBall,
        others,
        this.rules.ballInHand === "anywhere" ? "anywhere" : "behindHeadString",
      );
      cue = { id: CUE_BALL_ID, x: request.cueBall.x, y: request.cueBall.y };
    } else if (request.cueBall) {
      throw new MatchRefusal("NOT_IN_HAND", "the cue ball is played where it lies: leave cueBall out");
    }
    return { table: this.table, balls: [cue, ...others], strike };
  }

  checkPlacement(
    at: { x: number; y: number },
    others: readonly BallPlacement[],
    area: "anywhere" | "behindHeadString",
  ) {
    const g = tableGeometry(this.table);
    const R = WPA_BALL_RADIUS_M;
    if (!Number.isFinite(at.x) || !Number.isFinite(at.y)) {
      throw new MatchRefusal("BAD_PLACEMENT", "cueBall x and y must be finite numbers");
    }
    if (Math.abs(at.x) > g.half_length_m - R || Math.abs(at.y) > g.half_width_m - R) {
      throw new MatchRefusal(
        "OFF_TABLE",
        `the cue ball must lie on the bed: |x| ≤ ${(g.half_length_m - R).toFixed(4)}, |y| ≤ ${(g.half_width_m - R).toFixed(4)} m`,
      );
    }
    if (area === "behindHeadString" && !(at.x < g.head_string_x_m)) {
      throw new MatchRefusal(
        "NOT_BEHIND_HEAD_STRING",
        `the cue ball must be placed behind the head string (x < ${g.head_string_x_m.toFixed(4)} m)`,
      );
    }
    for (const ball of others) {
      if (Math.hypot(ball.x - at.x, ball.y - at.y) < 2 * R + PLACEMENT_CLEARANCE_M) {
        throw new MatchRefusal("OVERLAPS_BALL", `the cue ball would overlap ball ${ball.id}`);
      }
    }
  }

  /** Rules the simulated shot and keeps the settled table. `input` must be what prepareShot returned. */
  applyShot(seat: PlayerId, request: ShotRequest, input: ShotInput, result: ShotResult): AppliedShot {
    const summary = summarizeShot(
      input,
      result,
      { calledPocket: request.calledPocket },
      { ballInHand: this.rules.ballInHand },
    );
    const settled = result.balls.filter((ball) => ball.pocket === null).map(({ id, x, y }) => ({ id, x, y }));
    return this.applySettled(seat, request, summary, settled);
  }

  /** Applies a shot from its summary and the balls left on the bed (a replay applies the stored ones this way). */
  applySettled(seat: PlayerId, request: ShotRequest, summary: ShotSummary, settled: BallPlacement[]): AppliedShot {
    const ruling = applyShot(this.rules, summary);
    if (!ruling.ok) throw new Error(`the rules refused a simulated shot: ${ruling.error.code} ${ruling.error.message}`);
    this.rules = ruling.state;
    this.balls = ontoBed(this.table, settled);
    this.steps.push({ kind: "shot", seat, request });
    return { summary, outcome: ruling.outcome };
  }

  /**
   * Who wins when the match-time cap runs out: the player with more balls of their own group down; on an open table
   * (no groups yet) or a tie, the player who did not break the current rack (the break is the advantage).
   */
  timeCapWinner(): PlayerId {
    const { groups, ballsOnTable, breaker } = this.rules;
    if (groups) {
      const left = groups.map((group) => ballsOnTable.filter((ball) => groupOf(ball) === group).length);
      if (left[0]! < left[1]!) return 0;
      if (left[1]! < left[0]!) return 1;
    }
    return breaker === 0 ? 1 : 0;
  }

  /** The shot clock ran out on `seat`: a shot that touched nothing; a cue ball still in hand is put on its spot. */
  timeout(seat: PlayerId): AppliedShot {
    if (this.rules.shooter !== seat || this.rules.phase === "gameOver" || this.rules.pendingDecision) {
      throw new Error("timeout for a player who is not to shoot");
    }
    const calledPocket = isShooterOnEight(this.rules) ? (0 as PocketId) : null;
    const summary: ShotSummary = {
      intent: { calledPocket },
      firstContact: null,
      pocketed: [],
      cueBallPocketed: false,
      cushionAfterFirstContact: false,
      objectBallsToCushion: [],
      offTable: [],
    };
    const ruling = applyShot(this.rules, summary);
    if (!ruling.ok) throw new Error(`the rules refused a timeout: ${ruling.error.code} ${ruling.error.message}`);
    this.rules = ruling.state;
    if (!this.cueBall()) this.balls = [this.freeSpot(CUE_BALL_ID, "head"), ...this.balls];
    this.steps.push({ kind: "timeout", seat });
    return { summary, outcome: ruling.outcome };
  }

  decide(seat: PlayerId, decision: Decision): AppliedDecision {
    const ruling = applyDecision(this.rules, seat, decision);
    if (!ruling.ok) throw new MatchRefusal(ruling.error.code.toUpperCase(), ruling.error.message);
    this.rules = ruling.state;
    if (ruling.outcome.reracked) {
      this.balls = rackEightBall(this.table, rackOrder(this.seeds, this.rules.rack));
    } else {
      for (const ball of ruling.outcome.respotted) {
        this.balls = [...this.balls.filter((b) => b.id !== ball), this.freeSpot(ball, "foot")];
      }
    }
    this.steps.push({ kind: "decision", seat, decision });
    return { outcome: ruling.outcome };
  }

  /**
   * A spot for a ball put back on the table (WPA 3.7): the foot spot for the 8, the head spot for a cue ball put down
   * after a timeout; when it is taken, the nearest free point on the long string, first towards the nearer end rail,
   * then towards the centre.
   */
  freeSpot(id: number, end: "foot" | "head"): BallPlacement {
    const g = tableGeometry(this.table);
    const R = WPA_BALL_RADIUS_M;
    const spot = end === "foot" ? g.foot_spot_x_m : g.head_string_x_m - 4 * R;
    const outward = end === "foot" ? 1 : -1;
    const others = this.balls.filter((ball) => ball.id !== id);
    const free = (x: number) =>
      Math.abs(x) <= g.half_length_m - R &&
      others.every((b) => Math.hypot(b.x - x, b.y) >= 2 * R + PLACEMENT_CLEARANCE_M);
    const step = R / 4;
    for (let k = 0; k < 400; k++) {
      for (const x of [spot + outward * k * step, spot - outward * k * step]) if (free(x)) return { id, x, y: 0 };
    }
    throw new Error("no free spot on the long string");
  }
}

/** How a match ends on the table: by the rules, or at the time cap once it has been reached. */
export interface MatchEnding {
  winner: PlayerId;
  reason: GameOverReason | "timeCap";
}

/** Whether the match is over now that a shot has settled (or a shot clock ran out), and how. */
export function matchEnding(match: PoolMatch, capReached: boolean): MatchEnding | null {
  if (match.rules.result) return { winner: match.rules.result.winner, reason: match.rules.result.reason };
  if (capReached) return { winner: match.timeCapWinner(), reason: "timeCap" };
  return null;
}

/**
 * The engine accepts only balls inside the rectangle of the cushion noses and never two balls closer than touching
 * (less a micrometre), but a ball can come to rest in a pocket's mouth, past that rectangle, and float32 rounding
 * can leave two balls frozen together a hair too close. Before the next shot such balls are moved the least that
 * makes the table acceptable: into the rectangle, then apart along their centre line to touching plus a micrometre
 * (each by half). Balls that need neither never move; the same table always gives the same result.
 */
export function ontoBed(table: TableSize, balls: readonly BallPlacement[]): BallPlacement[] {
  const g = tableGeometry(table);
  const R = WPA_BALL_RADIUS_M;
  const maxX = g.half_length_m - R;
  const maxY = g.half_width_m - R;
  const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
  const out = balls.map(({ id, x, y }) => ({ id, x: clamp(x, maxX), y: clamp(y, maxY) })).sort((a, b) => a.id - b.id);
  const apart = 2 * R + PLACEMENT_CLEARANCE_M;
  for (let pass = 0; pass < 100; pass++) {
    let moved = false;
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        const d = Math.hypot(b.x - a.x, b.y - a.y);
        if (d >= 2 * R) continue;
        const ux = d > 0 ? (b.x - a.x) / d : 1;
        const uy = d > 0 ? (b.y - a.y) / d : 0;
        const push = (apart - d) / 2;
        a.x = clamp(a.x - ux * push, maxX);
        a.y = clamp(a.y - uy * push, maxY);
        b.x = clamp(b.x + ux * push, maxX);
        b.y = clamp(b.y + uy * push, maxY);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return out;
}

function checkStrike(request: ShotRequest): CueStrike {
  const numbers = [request.directionRad, request.speed, request.side, request.vertical, request.elevationDeg];
  if (!numbers.every(Number.isFinite)) throw new MatchRefusal("NOT_FINITE", "every number of a shot must be finite");
  if (!(request.speed > 0)) throw new MatchRefusal("SPEED_TOO_LOW", "speed must be above 0 m/s");
  if (request.speed > MAX_CUE_BALL_SPEED_M_S) {
    throw new MatchRefusal("SPEED_TOO_HIGH", `speed must be at most ${MAX_CUE_BALL_SPEED_M_S} m/s`);
  }
  if (Math.hypot(request.side, request.vertical) > MISCUE_OFFSET_LIMIT) {
    throw new MatchRefusal("MISCUE", `the tip offset must lie within ${MISCUE_OFFSET_LIMIT} of the ball's radius`);
  }
  if (request.elevationDeg !== 0) {
    throw new MatchRefusal("ELEVATION_NOT_SUPPORTED", "only a level cue is played: elevationDeg must be 0 or left out");
  }
  return {
    direction_rad: request.directionRad,
    speed_m_s: request.speed,
    side: request.side,
    vertical: request.vertical,
  };
}

/** How long a player has for each shot, the extensions each may call on, and the cap on the whole match. */
export interface MatchClockSettings {
  shotClockMs: number;
  extensionMs: number;
  extensions: number;
  matchMs: number;
}

/** A match's clocks as data: the room arms a timer at each deadline; every change is a step taking `nowMs`. */
export interface MatchClock {
  /** When the running shot clock runs out (ms since the epoch), or 0 while none runs (a shot is on the table). */
  turnDeadlineMs: number;
  /** When the match's time cap is reached. */
  matchDeadlineMs: number;
  extensionsLeft: readonly [number, number];
}

export function startMatchClock(settings: MatchClockSettings, nowMs: number): MatchClock {
  return {
    turnDeadlineMs: nowMs + settings.shotClockMs,
    matchDeadlineMs: nowMs + settings.matchMs,
    extensionsLeft: [settings.extensions, settings.extensions],
  };
}

/** The next turn's shot clock starts in full. */
export function startTurn(clock: MatchClock, settings: MatchClockSettings, nowMs: number): MatchClock {
  return { ...clock, turnDeadlineMs: nowMs + settings.shotClockMs };
}

/** A shot is on the table: no clock runs until it settles. */
export function stopTurn(clock: MatchClock): MatchClock {
  return { ...clock, turnDeadlineMs: 0 };
}

/** The shooter adds one extension to the shot clock that is running. */
export function takeExtension(
  clock: MatchClock,
  settings: MatchClockSettings,
  seat: PlayerId,
  nowMs: number,
): MatchClock {
  if (clock.turnDeadlineMs === 0) throw new MatchRefusal("NOT_YOUR_TURN", "no shot clock is running");
  if (clock.extensionsLeft[seat] <= 0) throw new MatchRefusal("NO_EXTENSIONS", "you have no extensions left");
  const left: [number, number] = [clock.extensionsLeft[0], clock.extensionsLeft[1]];
  left[seat] -= 1;
  const remainingMs = Math.max(0, clock.turnDeadlineMs - nowMs);
  return { ...clock, turnDeadlineMs: nowMs + remainingMs + settings.extensionMs, extensionsLeft: left };
}

export function timeCapReached(clock: MatchClock, nowMs: number): boolean {
  return nowMs >= clock.matchDeadlineMs;
}
