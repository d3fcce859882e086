// The WGSL backend computes what the CPU engine computes: for non-chaotic shots the same events in the same order,
// the same balls in the same pockets, and final positions within a millimetre; for the break, each backend alone
// gives the same result every run.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  breakShot,
  DEFAULT_BATCH_LIMITS,
  MAX_BATCH_SHOTS,
  midGameShot,
  type ShotResult,
  simulateShots,
} from "../../../../simulation/pool/index.ts";
import { WebGpuPoolEngine } from "../../../../src/physics/webgpu-engine.ts";
import { COMPILE_TIMEOUT_MS, noAdapter, testDevice } from "./gpu.ts";
import { AGREEMENT_SHOTS } from "./shots.ts";

/** Final positions agree to this (m). */
const POSITION_TOLERANCE_M = 1e-3;
/** Event times agree to this (s). */
const TIME_TOLERANCE_S = 1e-3;

function eventKey(e: ShotResult["events"][number]): string {
  const other =
    e.kind === "ball-ball"
      ? e.other_ball
      : e.kind === "ball-cushion"
        ? e.cushion
        : e.kind === "pocket"
          ? e.pocket
          : e.state;
  return `${e.kind}:${e.ball}:${other}`;
}

describe.skipIf(noAdapter)("WebGPU backend against the CPU engine", () => {
  let engine: WebGpuPoolEngine;
  beforeAll(async () => {
    if (!testDevice) return;
    engine = new WebGpuPoolEngine(testDevice.device);
    expect(await engine.compilationErrors()).toEqual([]);
    await engine.simulate([midGameShot()]); // compile the pipeline once, outside the measured tests
  }, COMPILE_TIMEOUT_MS);
  afterAll(() => engine?.destroy());

  it("agrees on straight shots, cuts, banks, draw, follow and english: events, pockets, positions", async () => {
    const shots = AGREEMENT_SHOTS.map(([, shot]) => shot);
    const gpu = await engine.simulate(shots, { record_transitions: true });
    const cpu = simulateShots(shots, { record_transitions: true });
    for (const [n, [name]] of AGREEMENT_SHOTS.entries()) {
      const g = gpu[n];
      const c = cpu[n];
      expect(c.complete, name).toBe(true);
      expect(g.complete, name).toBe(true);
      expect(g.events.map(eventKey), name).toEqual(c.events.map(eventKey));
      for (const [i, e] of g.events.entries()) {
        expect(Math.abs(e.time_s - c.events[i].time_s), `${name}: event ${i}`).toBeLessThan(TIME_TOLERANCE_S);
      }
      expect(
        g.balls.map((b) => [b.id, b.state, b.pocket]),
        name,
      ).toEqual(c.balls.map((b) => [b.id, b.state, b.pocket]));
      for (const [i, b] of g.balls.entries()) {
        const d = Math.hypot(b.x - c.balls[i].x, b.y - c.balls[i].y);
        expect(d, `${name}: ball ${b.id}`).toBeLessThan(POSITION_TOLERANCE_M);
      }
      expect(Math.abs(g.total_time_s - c.total_time_s), name).toBeLessThan(TIME_TOLERANCE_S);
      expect(g.keyframes.count, name).toBe(c.keyframes.count);
    }
    // The set is not trivial: shots pot balls, bank off cushions and the draw shot comes back.
    expect(gpu.filter((r) => r.events.some((e) => e.kind === "pocket")).length).toBeGreaterThanOrEqual(5);
    expect(gpu.every((r) => r.events.some((e) => e.kind === "ball-cushion" || e.kind === "pocket"))).toBe(true);
  });

  it("agrees on a busy mid-game shot", async () => {
    const [g] = await engine.simulate([midGameShot()]);
    const [c] = simulateShots([midGameShot()]);
    expect(g.events.map(eventKey)).toEqual(c.events.map(eventKey));
    for (const [i, b] of g.balls.entries())
      expect(Math.hypot(b.x - c.balls[i].x, b.y - c.balls[i].y)).toBeLessThan(POSITION_TOLERANCE_M);
  });

  it("gives every shot of a batch the result it gets alone", async () => {
    const shots = [AGREEMENT_SHOTS[0][1], midGameShot(), AGREEMENT_SHOTS[3][1]];
    const together = await engine.simulate(shots);
    for (const [i, shot] of shots.entries()) {
      const [alone] = await engine.simulate([shot]);
      expect(together[i].events).toEqual(alone.events);
      expect(together[i].balls).toEqual(alone.balls);
    }
  });

  it("is deterministic run to run on the break (which is allowed to differ from the CPU)", async () => {
    const shots = [breakShot("9ft"), breakShot("7ft")];
    const first = await engine.simulate(shots);
    const second = await engine.simulate(shots);
    for (const [i, r] of first.entries()) {
      expect(r.events.length).toBeGreaterThan(10);
      expect(second[i].events).toEqual(r.events);
      expect(second[i].balls).toEqual(r.balls);
      expect(Array.from(second[i].keyframes.data)).toEqual(Array.from(r.keyframes.data));
    }
    // And the CPU is deterministic on the break too.
    expect(simulateShots(shots)).toEqual(simulateShots(shots));
  });

  it("reports caps the way the CPU does: a tiny event buffer overflows and a short time limit cuts the shot", async () => {
    const limits = { event_capacity: 4, max_time_s: 0.5 };
    const [g] = await engine.simulate([breakShot("9ft")], { limits });
    const [c] = simulateShots([breakShot("9ft")], { limits });
    expect(g.caps).toEqual(c.caps);
    expect(g.caps.event_overflow && g.caps.time_cap).toBe(true);
    expect(g.events.length).toBe(4);
    expect(g.total_time_s).toBeCloseTo(0.5, 5);
  });

  it("reuses its pooled buffers, grows them by powers of two and never past the batch cap", async () => {
    const shot = AGREEMENT_SHOTS[0][1];
    await engine.simulate([shot, shot, shot]);
    const afterThree = engine.bufferCapacity;
    expect(afterThree).toBeGreaterThanOrEqual(4);
    await engine.simulate([shot]);
    expect(engine.bufferCapacity).toBe(afterThree); // reused, not shrunk and regrown
    await engine.simulate(new Array(afterThree + 1).fill(shot));
    expect(engine.bufferCapacity).toBe(2 * afterThree);
    await expect(engine.simulate(new Array(MAX_BATCH_SHOTS + 1).fill(shot))).rejects.toThrow(RangeError);
    expect(engine.bufferCapacity).toBe(2 * afterThree);
  });

  it("splits a batch that the device's buffers cannot bind in one dispatch, with the results of one", async () => {
    const { maxStorageBufferBindingSize } = testDevice!.device.limits;
    // 2 MiB of keyframe data per shot: a dispatch holds at most the binding limit's worth of shots.
    const limits = { keyframe_capacity: 65_536 };
    const perDispatch = engine.shotsPerDispatch(DEFAULT_BATCH_LIMITS.event_capacity, limits.keyframe_capacity);
    expect(perDispatch).toBeLessThanOrEqual(maxStorageBufferBindingSize / (32 * limits.keyframe_capacity));
    expect(perDispatch).toBeGreaterThanOrEqual(1);
    const shots = Array.from({ length: perDispatch + 3 }, (_, i) => AGREEMENT_SHOTS[i % AGREEMENT_SHOTS.length][1]);
    const gpu = await engine.simulate(shots, { limits });
    const alone = await engine.simulate(shots.slice(-3), { limits });
    expect(gpu.slice(-3).map((r) => r.events)).toEqual(alone.map((r) => r.events));
    expect(gpu.every((r) => r.complete)).toBe(true);
    // And the default capacities fit a full batch cap's worth of shots, in as few dispatches as the device allows.
    expect(engine.shotsPerDispatch(DEFAULT_BATCH_LIMITS.event_capacity, DEFAULT_BATCH_LIMITS.keyframe_capacity)).toBe(
      Math.min(
        MAX_BATCH_SHOTS,
        2 ** Math.floor(Math.log2(maxStorageBufferBindingSize / (32 * DEFAULT_BATCH_LIMITS.keyframe_capacity))),
      ),
    );
  });

  it("refuses what it cannot compute (f64, energy traces) and bad shots, as RangeErrors", async () => {
    await expect(engine.simulate([midGameShot()], { precision: "f64" })).rejects.toThrow(RangeError);
    await expect(engine.simulate([midGameShot()], { trace_energy: true })).rejects.toThrow(RangeError);
    await expect(engine.simulate([{ table: "9ft", balls: [] }])).rejects.toThrow(RangeError);
  });
});
