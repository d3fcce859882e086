// The pool bot: on easy positions it pockets a ball most of the time, its chosen shot never fouls when a clean one
// exists, the same seed gives the same shot, and its candidates run as one batch through the batcher.

import { describe, expect, it } from "vitest";
import { BOT_LEVELS, type BotTable } from "../../simulation/pool/bot/index.ts";
import {
  applyShot,
  checkStateInvariants,
  createEightBallGame,
  type EightBallState,
  type ObjectBall,
} from "../../simulation/pool/eightball/index.ts";
import { rulesPocketOf, summarizeShot } from "../../simulation/pool/eightball-summary.ts";
import {
  type BallPlacement,
  type ShotInput,
  type ShotResult,
  simulateShots,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "../../simulation/pool/index.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { CpuPoolBackend, ShotBatcher } from "../../src/physics/batcher.ts";
import { CpuWorkerPool } from "../../src/physics/cpu-worker-pool.ts";
import { chooseBotShot, simulateThrough } from "../../src/physics/pool-bot.ts";
import { WebGpuBackend } from "../../src/physics/webgpu-backend.ts";
import { COMPILE_TIMEOUT_MS, noAdapter } from "../simulation/pool/webgpu/gpu.ts";
import { recordingObserver } from "./recording-observer.ts";

const R = WPA_BALL_RADIUS_M;
const cpuSimulate = async (shots: ShotInput[]): Promise<ShotResult[]> => simulateShots(shots);

/** Groups assigned (player 0 solids), player 0 to shoot, the given object balls on the table. */
function stateWith(onTable: ObjectBall[]): EightBallState {
  const all = Array.from({ length: 15 }, (_, i) => (i + 1) as ObjectBall);
  const state: EightBallState = {
    ...createEightBallGame({ breaker: 0 }),
    phase: "groupsAssigned",
    groups: ["solids", "stripes"],
    shooter: 0,
    ballInHand: null,
    ballsOnTable: [...onTable].sort((a, b) => a - b),
    ballsDown: all.filter((b) => !onTable.includes(b)).map((ball) => ({ ball, where: 0 as const })),
    shotCount: 5,
  };
  expect(checkStateInvariants(state)).toEqual([]);
  return state;
}

/**
 * An easy position: a solid 0.2–0.6 m from a corner or side pocket with a clear line, the cue ball 0.3–0.7 m behind
 * it at a cut of at most 25°, the 8 and two stripes elsewhere on the table.
 */
function easyPosition(random: () => number): { table: BotTable; state: EightBallState } {
  const g = tableGeometry("9ft");
  for (;;) {
    const q = Math.floor(random() * 6);
    const pocket = { x: g.pockets[q * 3], y: g.pockets[q * 3 + 1] };
    const inward = Math.atan2(-pocket.y, -pocket.x) + (random() - 0.5) * (q === 1 || q === 4 ? 0.6 : 0.9);
    const d = 0.2 + 0.4 * random();
    const obj = { x: pocket.x + Math.cos(inward) * (d + 0.06), y: pocket.y + Math.sin(inward) * (d + 0.06) };
    const cut = (random() - 0.5) * ((50 * Math.PI) / 180);
    const back = 0.3 + 0.4 * random();
    const cue = { x: obj.x + Math.cos(inward + cut) * back, y: obj.y + Math.sin(inward + cut) * back };
    const balls: BallPlacement[] = [
      { id: 0, ...cue },
      { id: 3, ...obj },
    ];
    for (const id of [8, 10, 13]) {
      balls.push({
        id,
        x: (random() - 0.5) * 2 * (g.half_length_m - 0.1),
        y: (random() - 0.5) * 2 * (g.half_width_m - 0.1),
      });
    }
    const onBed = balls.every(
      (b) => Math.abs(b.x) < g.half_length_m - R - 0.01 && Math.abs(b.y) < g.half_width_m - R - 0.01,
    );
    const apart = balls.every((a, i) => balls.every((b, j) => j <= i || Math.hypot(a.x - b.x, a.y - b.y) > 4 * R));
    // Nothing within two ball widths of the lines cue → object ball → pocket.
    const clear = (ax: number, ay: number, bx: number, by: number, ball: BallPlacement) => {
      const sx = bx - ax;
      const sy = by - ay;
      const s = Math.max(0, Math.min(1, ((ball.x - ax) * sx + (ball.y - ay) * sy) / (sx * sx + sy * sy)));
      return Math.hypot(ball.x - (ax + s * sx), ball.y - (ay + s * sy)) > 4 * R;
    };
    const lines = balls
      .slice(2)
      .every((b) => clear(cue.x, cue.y, obj.x, obj.y, b) && clear(obj.x, obj.y, pocket.x, pocket.y, b));
    if (onBed && apart && lines) return { table: { table: "9ft", balls }, state: stateWith([3, 8, 10, 13]) };
  }
}

describe("pool bot", () => {
  it("pockets a ball on most easy shots and never chooses a foul", async () => {
    const random = seededUniform(7);
    const level = BOT_LEVELS.medium;
    let plannedPots = 0;
    let playedPots = 0;
    const positions = 40;
    for (let n = 0; n < positions; n++) {
      const { table, state } = easyPosition(random);
      const bot = await chooseBotShot(cpuSimulate, table, state, level, random);
      expect(bot.planned.forcedFoul).toBe(false);
      expect(bot.planned.fouls).toEqual([]);
      // The plan, simulated again, is what the bot foresaw: a legal shot.
      const [planned] = simulateShots([bot.planned.candidate.input]);
      const ruling = applyShot(state, summarizeShot(bot.planned.candidate.input, planned, bot.intent));
      expect(ruling.ok && ruling.outcome.fouls).toEqual([]);
      if (bot.planned.pots) plannedPots++;
      // The shot it plays carries the level's noise.
      const [played] = simulateShots([bot.shot]);
      const playedRuling = applyShot(state, summarizeShot(bot.shot, played, bot.intent));
      if (playedRuling.ok && playedRuling.outcome.turnContinues) playedPots++;
    }
    console.log(
      `pool bot (medium) on ${positions} easy positions: pots in its plan ${plannedPots}/${positions}, pots as played with noise ${playedPots}/${positions}`,
    );
    expect(plannedPots / positions).toBeGreaterThanOrEqual(0.9);
    expect(playedPots / positions).toBeGreaterThanOrEqual(0.6);
  }, 120_000);

  it("chooses the same shot from the same seed, and more candidates at a harder level", async () => {
    const { table, state } = easyPosition(seededUniform(3));
    const a = await chooseBotShot(cpuSimulate, table, state, BOT_LEVELS.easy, seededUniform(11));
    const b = await chooseBotShot(cpuSimulate, table, state, BOT_LEVELS.easy, seededUniform(11));
    expect(a.shot).toEqual(b.shot);
    const hard = await chooseBotShot(cpuSimulate, table, state, BOT_LEVELS.hard, seededUniform(11));
    expect(hard.candidates).toBeGreaterThan(a.candidates * 10);
    expect(hard.planned.pots).toBe(true);
  }, 60_000);

  it("calls the pocket its plan sends the 8 to when it is on the 8, and takes ball in hand", async () => {
    // The easy position with its solid turned into the 8 (the old 8 taken off), the cue ball in hand.
    const { table } = easyPosition(seededUniform(5));
    const balls = table.balls.filter((b) => b.id !== 8 && b.id !== 0).map((b) => (b.id === 3 ? { ...b, id: 8 } : b));
    const state = { ...stateWith([8, 10, 13]), ballInHand: "anywhere" as const };
    const bot = await chooseBotShot(cpuSimulate, { table: "9ft", balls }, state, BOT_LEVELS.medium, seededUniform(1));
    expect(bot.planned.fouls).toEqual([]);
    expect(bot.planned.score).toBeGreaterThan(1e5); // it plans to win
    const [result] = simulateShots([bot.planned.candidate.input]);
    const down = result.balls.find((b) => b.id === 8)?.pocket;
    expect(down).not.toBeNull();
    expect(bot.intent.calledPocket).toBe(rulesPocketOf(down as number));
  }, 60_000);

  it("runs its candidates as one batch through the shot batcher", async () => {
    const { seen, observer } = recordingObserver();
    const batcher = new ShotBatcher(new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })), { observer, windowMs: 5 });
    try {
      const { table, state } = easyPosition(seededUniform(9));
      const bot = await chooseBotShot(simulateThrough(batcher), table, state, BOT_LEVELS.medium, seededUniform(2));
      expect(seen.batches.map((b) => b.shots)).toEqual([bot.candidates]);
      expect(bot.planned.pots).toBe(true);
    } finally {
      await batcher.close();
    }
  }, 60_000);

  it.skipIf(noAdapter)(
    "plays the same way on the WebGPU backend",
    async () => {
      const backend = await WebGpuBackend.create({ cpuFallback: () => new CpuPoolBackend() });
      if (!backend) throw new Error("no WebGPU device");
      const batcher = new ShotBatcher(backend, { observer: recordingObserver().observer });
      try {
        const { table, state } = easyPosition(seededUniform(9));
        const bot = await chooseBotShot(simulateThrough(batcher), table, state, BOT_LEVELS.medium, seededUniform(2));
        expect(bot.planned.pots).toBe(true);
        expect(bot.planned.fouls).toEqual([]);
      } finally {
        await batcher.close();
      }
    },
    COMPILE_TIMEOUT_MS,
  );
});
