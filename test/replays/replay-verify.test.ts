// The replay check plays a stored match again through the match engine: a match played step by step replays to the
// same table and winner, and a log with a step the rules refuse is caught at that step.

import { describe, expect, it } from "vitest";
import type { Decision, PlayerId, PocketId, ShotSummary } from "../../simulation/pool/eightball/index.ts";
import type { ShotResult } from "../../simulation/pool/index.ts";
import { coinTossBreaker, PoolMatch, type ShotRequest } from "../../simulation/pool/match.ts";
import type { PoolReplay, StepResult } from "../../src/replays/format.ts";
import { poolReplay, shotStepResult, tableStepResult } from "../../src/replays/record.ts";
import { replayPoolMatch } from "../../src/replays/verify.ts";
import { hit } from "../simulation/pool/eightball/craft.ts";

const SERVER_SEED = "ab".repeat(32);
const p = <B extends number, P extends PocketId>(ball: B, pocket: P) => ({ ball, pocket });

type CraftedStep =
  | { kind: "shot"; seat: PlayerId; summary: ShotSummary }
  | { kind: "decision"; seat: PlayerId; decision: Decision };

/** A short match: illegal break, re-break, groups, a foul, and the 8 in its called pocket. */
const STEPS: CraftedStep[] = [
  { kind: "shot", seat: 0, summary: hit(1, { objectBallsToCushion: [1, 2] }) },
  { kind: "decision", seat: 1, decision: { kind: "rerack", breaker: 1 } },
  { kind: "shot", seat: 1, summary: hit(1, { pocketed: [p(9, 0)] }) },
  { kind: "shot", seat: 1, summary: hit(10, { pocketed: [p(10, 2), p(11, 3), p(12, 0), p(13, 1)] }) },
  { kind: "shot", seat: 1, summary: hit(1, {}) }, // wrong ball first: seat 1 has stripes
  { kind: "shot", seat: 0, summary: hit(2, { pocketed: [p(1, 0), p(2, 1), p(3, 2), p(4, 3)] }) },
  { kind: "shot", seat: 0, summary: hit(5, { pocketed: [p(5, 4), p(6, 5), p(7, 0)] }) },
  { kind: "shot", seat: 0, summary: hit(8, { intent: { calledPocket: 3 }, pocketed: [p(8, 3)] }) },
];

/** Seeds whose coin toss gives seat 0 the break, as the crafted steps assume. */
function seedsBreakingFromSeat0() {
  for (let n = 0; ; n++) {
    const seeds = { serverSeed: SERVER_SEED, clientSeed: `replay-${n}` };
    if (coinTossBreaker(seeds) === 0) return seeds;
  }
}

/** A shot whose balls stay where they lie, but for the ones its summary pockets. */
function stillShot(match: PoolMatch, request: ShotRequest, summary: ShotSummary): ShotResult {
  const input = match.prepareShot(match.rules.shooter, request);
  const pocketOf = new Map(summary.pocketed.map(({ ball, pocket }) => [ball as number, pocket as number]));
  return {
    table: match.table,
    balls: input.balls.map(({ id, x, y }) => ({ id, x, y, state: "stationary", pocket: pocketOf.get(id) ?? null })),
    events: [],
    keyframes: {
      count: 0,
      time_s: new Float32Array(0),
      ball: new Uint8Array(0),
      state: new Uint8Array(0),
      data: new Float32Array(0),
    },
    total_time_s: 0,
    steps: 0,
    complete: true,
    caps: { event_overflow: false, keyframe_overflow: false, step_cap: false, time_cap: false },
  };
}

/** Plays the crafted steps on a live match, as the room does, and returns the match with its replay. */
function play(steps: readonly CraftedStep[]): { match: PoolMatch; replay: PoolReplay; fresh: ShotResult[] } {
  const match = new PoolMatch("9ft", seedsBreakingFromSeat0());
  const results: StepResult[] = [];
  const fresh: ShotResult[] = [];
  for (const step of steps) {
    if (step.kind === "decision") {
      match.decide(step.seat, step.decision);
      results.push(tableStepResult("decision", match));
      continue;
    }
    const inHand = match.rules.ballInHand !== null || !match.cueBall();
    const request: ShotRequest = {
      directionRad: 0,
      speed: 1,
      side: 0,
      vertical: 0,
      elevationDeg: 0,
      calledPocket: step.summary.intent.calledPocket,
      cueBall: inHand ? match.freeSpot(0, "head") : null,
    };
    const input = match.prepareShot(step.seat, request);
    const result = stillShot(match, request, step.summary);
    const settled = result.balls.filter((ball) => ball.pocket === null).map(({ id, x, y }) => ({ id, x, y }));
    const applied = match.applySettled(step.seat, request, step.summary, settled);
    expect(input.balls.length).toBe(result.balls.length);
    results.push(shotStepResult(result, applied));
    fresh.push(result);
  }
  const winnerSeat = match.rules.result?.winner ?? null;
  const replay = poolReplay(
    { match, roundId: "pool:replay-test", players: ["a", "b"], results, startedAt: new Date(0) },
    { matchId: "replay-test", mode: "private", stakeMinor: 1000n, rakeBps: 500 },
    { winnerSeat, reason: match.rules.result?.reason ?? "abandoned" },
    new Date(1000),
  );
  return { match, replay, fresh };
}

/** Re-simulates the stored shots in order: the physics of a still table is the table. */
function replaySimulator(fresh: readonly ShotResult[]) {
  let next = 0;
  return () => fresh[next++]!;
}

describe("replayPoolMatch", () => {
  it("replays a match played step by step to the same final table and the recorded winner", async () => {
    const { match, replay, fresh } = play(STEPS);
    expect(match.rules.result).toEqual({ winner: 0, loser: 1, reason: "eightBallInCalledPocket" });
    expect(match.rules.rack).toBe(2);
    expect(match.rules.shotCount).toBe(7);

    const report = await replayPoolMatch(replay, { simulate: replaySimulator(fresh) });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      stepsOk: true,
      finalTableOk: true,
      winnerOk: true,
      replayedWinnerSeat: 0,
    });
    expect(report.shots.map((shot) => shot.step)).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(report.shotsAgreeing).toBe(7);
  });

  it("stops at the first step the rules refuse and names it", async () => {
    const { replay, fresh } = play(STEPS);
    // Step 3 is seat 1's shot after its legal re-break; a log that gives it to seat 0 was not recorded from this engine.
    const corrupt: PoolReplay = {
      ...replay,
      steps: replay.steps.map((step, i) => (i === 3 && step.kind === "shot" ? { ...step, seat: 0 } : step)),
    };
    const report = await replayPoolMatch(corrupt, { simulate: replaySimulator(fresh) });
    expect(report.ok).toBe(false);
    expect(report.stepsOk).toBe(false);
    expect(report.problems[0]).toMatch(/^step 3 \(shot\) was refused: NOT_YOUR_TURN/);
    expect(report.shots.map((shot) => shot.step)).toEqual([0, 2]);
  });
});
