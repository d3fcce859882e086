// The pool bot: pure shot choice. It proposes candidate shots (ghost-ball aims at every legal ball and pocket,
// swept over speeds and spins, plus a sweep of directions for safeties; with ball in hand, cue ball placements
// behind each pot), the caller simulates them all in one batch, and the bot rules on every result with the 8-ball
// engine (summarizeShot + applyShot) and scores it: a win, then a pot with a good next shot, then a legal shot; a
// foul only when every candidate fouls. The shot it plays is the chosen one with the level's noise added.

import {
  applyShot,
  type EightBallState,
  groupOf,
  isShooterOnEight,
  type ObjectBall,
  type PocketId,
  type ShotIntent,
} from "../eightball/index.ts";
import { rulesPocketOf, summarizeShot } from "../eightball-summary.ts";
import {
  type BallPlacement,
  CUE_BALL_ID,
  type CueStrike,
  MAX_CUE_BALL_SPEED_M_S,
  POCKET_COUNT,
  type ShotInput,
  type ShotResult,
  type TableSize,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "../index.ts";
import { type BotLevel, MAX_BOT_CANDIDATES } from "./levels.ts";

const R = WPA_BALL_RADIUS_M;

export interface BotTable {
  table: TableSize;
  /** Balls on the bed. The cue ball may be missing when the shooter has it in hand. */
  balls: readonly BallPlacement[];
}

export interface Candidate {
  input: ShotInput;
  intent: ShotIntent;
  /** The ball and (rules) pocket aimed at, or null for a swept direction. */
  target: { ball: ObjectBall; pocket: PocketId } | null;
}

export interface ScoredCandidate {
  candidate: Candidate;
  score: number;
  /** Fouls the simulated shot commits (empty for the bot's choice whenever a foul-free candidate exists). */
  fouls: readonly string[];
  pots: boolean;
}

/** Object balls the shooter may legally hit first. */
export function legalTargets(state: EightBallState): ObjectBall[] {
  const onTable = state.ballsOnTable;
  if (state.phase === "break") return [];
  if (!state.groups) return onTable.filter((b) => b !== 8);
  if (isShooterOnEight(state)) return onTable.filter((b) => b === 8);
  const mine = state.groups[state.shooter];
  return onTable.filter((b) => b !== 8 && groupOf(b) === mine);
}

function pocketAim(table: TableSize, physicsPocket: number): { x: number; y: number } {
  const p = tableGeometry(table).pockets;
  return { x: p[physicsPocket * 3], y: p[physicsPocket * 3 + 1] };
}

function ghostBall(obj: BallPlacement, aim: { x: number; y: number }) {
  const len = Math.hypot(aim.x - obj.x, aim.y - obj.y);
  return { x: obj.x - (2 * R * (aim.x - obj.x)) / len, y: obj.y - (2 * R * (aim.y - obj.y)) / len };
}

function fits(table: TableSize, balls: readonly BallPlacement[], x: number, y: number, behindHeadString: boolean) {
  const g = tableGeometry(table);
  if (Math.abs(x) > g.half_length_m - R - 0.002 || Math.abs(y) > g.half_width_m - R - 0.002) return false;
  if (behindHeadString && !(x < g.head_string_x_m)) return false;
  return balls.every((b) => b.id === CUE_BALL_ID || Math.hypot(b.x - x, b.y - y) > 2 * R + 0.002);
}

/** Where the bot may put the cue ball: its place on the bed, or (in hand) spots behind each pot and a few defaults. */
function cuePlacements(t: BotTable, state: EightBallState, targets: ObjectBall[]): { x: number; y: number }[] {
  const cue = t.balls.find((b) => b.id === CUE_BALL_ID);
  if (!state.ballInHand && cue) return [{ x: cue.x, y: cue.y }];
  const behind = state.ballInHand === "behindHeadString" || state.phase === "break";
  const spots: { x: number; y: number }[] = [];
  for (const ball of targets) {
    const obj = t.balls.find((b) => b.id === ball);
    if (!obj) continue;
    for (let q = 0; q < POCKET_COUNT; q++) {
      const aim = pocketAim(t.table, q);
      const len = Math.hypot(aim.x - obj.x, aim.y - obj.y);
      for (const d of [0.3, 0.6]) {
        const x = obj.x - (d * (aim.x - obj.x)) / len;
        const y = obj.y - (d * (aim.y - obj.y)) / len;
        if (fits(t.table, t.balls, x, y, behind)) spots.push({ x, y });
      }
    }
  }
  const g = tableGeometry(t.table);
  for (const y of [0, -0.25, 0.25]) {
    const x = behind ? g.head_string_x_m - 0.15 : 0;
    if (fits(t.table, t.balls, x, y, behind)) spots.push({ x, y });
  }
  return spots.slice(0, 24);
}

/** Candidate shots for the shooter, at most MAX_BOT_CANDIDATES, in a fixed order (ties go to the first). */
export function proposeCandidates(t: BotTable, state: EightBallState, level: BotLevel): Candidate[] {
  const out: Candidate[] = [];
  const targets = legalTargets(state);
  const onEight = state.phase !== "break" && isShooterOnEight(state);
  const others = t.balls.filter((b) => b.id !== CUE_BALL_ID);
  const push = (cue: { x: number; y: number }, strike: CueStrike, target: Candidate["target"]) => {
    if (out.length >= MAX_BOT_CANDIDATES) return;
    const calledPocket = onEight ? (target?.pocket ?? null) : null;
    out.push({
      input: { table: t.table, balls: [{ id: CUE_BALL_ID, x: cue.x, y: cue.y }, ...others], strike },
      intent: { calledPocket },
      target,
    });
  };
  for (const cue of cuePlacements(t, state, targets)) {
    for (const ball of targets) {
      const obj = t.balls.find((b) => b.id === ball);
      if (!obj) continue;
      for (let q = 0; q < POCKET_COUNT; q++) {
        const ghost = ghostBall(obj, pocketAim(t.table, q));
        const base = Math.atan2(ghost.y - cue.y, ghost.x - cue.x);
        // Skip pots the cue ball cannot reach: cut angles past 75°.
        const toObj = Math.atan2(obj.y - cue.y, obj.x - cue.x);
        const toPocket = Math.atan2(pocketAim(t.table, q).y - obj.y, pocketAim(t.table, q).x - obj.x);
        let cut = Math.abs(toPocket - toObj);
        if (cut > Math.PI) cut = 2 * Math.PI - cut;
        if (cut > (75 * Math.PI) / 180) continue;
        for (const offset of level.aim_offsets_rad) {
          for (const speed of level.speeds_m_s) {
            for (const spin of level.spins) {
              push(
                cue,
                { direction_rad: base + offset, speed_m_s: speed, ...spin },
                { ball, pocket: rulesPocketOf(q) },
              );
            }
          }
        }
      }
    }
  }
  // Swept directions: safeties, kicks and the break.
  const first = cuePlacements(t, state, targets)[0];
  if (first) {
    const speed = state.phase === "break" ? 9 : 2;
    for (let i = 0; i < level.sweep_directions; i++) {
      push(first, { direction_rad: (2 * Math.PI * i) / level.sweep_directions, speed_m_s: speed }, null);
    }
    if (state.phase === "break") {
      const apex = others.reduce((a, b) => (b.x < a.x ? b : a), others[0]);
      if (apex) {
        for (const speed of [7, 9, 11]) {
          push(
            first,
            { direction: { x: apex.x - first.x, y: apex.y - first.y }, speed_m_s: speed, vertical: -0.1 },
            null,
          );
        }
      }
    }
  }
  return out;
}

// How good the cue ball's final position is for the shooter's next pot: the easiest (ball, pocket) pair by cut
// angle and distance, in [0, 1]. Obstructions are not checked: the next decision simulates them anyway.
function positionScore(t: BotTable, result: ShotResult, next: EightBallState): number {
  const cue = result.balls.find((b) => b.id === CUE_BALL_ID && b.pocket === null);
  if (!cue) return 0;
  const nextTargets = legalTargets(next);
  let best = 0;
  for (const ball of nextTargets) {
    const obj = result.balls.find((b) => b.id === ball && b.pocket === null);
    if (!obj) continue;
    for (let q = 0; q < POCKET_COUNT; q++) {
      const aim = pocketAim(t.table, q);
      const ox = obj.x - cue.x;
      const oy = obj.y - cue.y;
      const px = aim.x - obj.x;
      const py = aim.y - obj.y;
      const cos = (ox * px + oy * py) / (Math.hypot(ox, oy) * Math.hypot(px, py));
      if (cos <= 0.3) continue;
      const score = cos / (1 + Math.hypot(ox, oy) + Math.hypot(px, py));
      if (score > best) best = score;
    }
  }
  return best;
}

/** Rules on one simulated candidate and scores it (higher is better). */
export function scoreCandidate(
  t: BotTable,
  state: EightBallState,
  candidate: Candidate,
  result: ShotResult,
): ScoredCandidate {
  let intent = candidate.intent;
  // On the 8 with a swept shot, call the pocket the plan sends it to.
  if (isShooterOnEight(state) && intent.calledPocket === null && state.phase !== "break") {
    const eight = result.balls.find((b) => b.id === 8);
    intent = { calledPocket: eight?.pocket != null ? rulesPocketOf(eight.pocket) : 0 };
  }
  const summary = summarizeShot(candidate.input, result, intent, { ballInHand: state.ballInHand });
  const ruling = applyShot(state, summary);
  if (!ruling.ok) return { candidate, score: Number.NEGATIVE_INFINITY, fouls: ["refused"], pots: false };
  const { outcome } = ruling;
  const pots = summary.pocketed.length > 0;
  if (!result.complete) return { candidate: { ...candidate, intent }, score: -5000, fouls: outcome.fouls, pots };
  if (outcome.gameOver) {
    const won = outcome.gameOver.winner === state.shooter;
    return { candidate: { ...candidate, intent }, score: won ? 1e6 : -1e6, fouls: outcome.fouls, pots };
  }
  if (outcome.fouls.length > 0) {
    return { candidate: { ...candidate, intent }, score: -1000 * outcome.fouls.length, fouls: outcome.fouls, pots };
  }
  let score = 0;
  if (outcome.turnContinues) score = 1000 + 100 * positionScore(t, result, ruling.state);
  else if (outcome.pendingDecision) score = 10;
  else score = 1 + summary.objectBallsToCushion.length * 0.01;
  return { candidate: { ...candidate, intent }, score, fouls: [], pots };
}

/** The best candidate (the first among equals); `forcedFoul` when every candidate fouls. */
export function chooseCandidate(
  t: BotTable,
  state: EightBallState,
  candidates: readonly Candidate[],
  results: readonly ShotResult[],
): ScoredCandidate & { forcedFoul: boolean } {
  if (candidates.length === 0 || candidates.length !== results.length) {
    throw new RangeError("need one result per candidate, and at least one candidate");
  }
  let best: ScoredCandidate | undefined;
  let anyClean = false;
  for (const [i, candidate] of candidates.entries()) {
    const scored = scoreCandidate(t, state, candidate, results[i]);
    if (scored.fouls.length === 0) anyClean = true;
    if (!best || scored.score > best.score) best = scored;
  }
  return { ...(best as ScoredCandidate), forcedFoul: !anyClean };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The shot the bot actually plays: its choice with the level's aim and speed noise. */
export function executeWithNoise(candidate: Candidate, level: BotLevel, random: () => number): ShotInput {
  const strike = candidate.input.strike as CueStrike;
  const dir = strike.direction_rad ?? Math.atan2(strike.direction?.y ?? 0, strike.direction?.x ?? 1);
  const speed = strike.speed_m_s * (1 + level.speed_noise * gaussian(random));
  return {
    ...candidate.input,
    strike: {
      speed_m_s: Math.min(MAX_CUE_BALL_SPEED_M_S, Math.max(0.2, speed)),
      direction_rad: dir + level.aim_noise_rad * gaussian(random),
      side: strike.side,
      vertical: strike.vertical,
    },
  };
}
