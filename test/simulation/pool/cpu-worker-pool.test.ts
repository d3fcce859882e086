// The worker pool gives exactly what the single-threaded engine gives, keeps its queue bounded and closes cleanly.

import { afterAll, describe, expect, it } from "vitest";
import { breakShot } from "../../../simulation/pool/rack.ts";
import { type ShotInput, simulateShots } from "../../../simulation/pool/simulate-shots.ts";
import {
  CpuWorkerPool,
  defaultWorkerCount,
  PoolClosedError,
  PoolQueueFullError,
} from "../../../src/physics/cpu-worker-pool.ts";
import { MIDGAME_SHOT } from "./helpers.ts";

function variedShots(n: number): ShotInput[] {
  const shots: ShotInput[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) shots.push(breakShot(i % 2 ? "7ft" : "9ft", undefined, 8 + (i % 5)));
    else
      shots.push({
        ...MIDGAME_SHOT,
        strike: { ...MIDGAME_SHOT.strike!, speed_m_s: 1 + (i % 7) * 0.5, side: ((i % 5) - 2) * 0.1 },
      });
  }
  return shots;
}

describe("CPU worker pool", () => {
  const pool = new CpuWorkerPool({ workers: 2 });
  afterAll(() => pool.close());

  it("sizes itself to the cores less one, at least one", () => {
    expect(defaultWorkerCount()).toBeGreaterThanOrEqual(1);
    expect(pool.size).toBe(2);
    expect(() => new CpuWorkerPool({ workers: 0 })).toThrow(RangeError);
  });

  it("returns the same results as the single-threaded engine, in order", async () => {
    const shots = variedShots(13);
    const expected = simulateShots(shots);
    const got = await pool.simulateShots(shots);
    expect(got).toEqual(expected);
    const f64 = await pool.simulateShots(shots.slice(0, 3), { precision: "f64", record_transitions: true });
    expect(f64).toEqual(simulateShots(shots.slice(0, 3), { precision: "f64", record_transitions: true }));
  });

  it("runs float64 batches on workers of their own, so the float32 workers never switch precision", async () => {
    const own = new CpuWorkerPool({ workers: 2 });
    try {
      expect([own.threads("f32"), own.threads("f64")]).toEqual([2, 0]);
      const shots = variedShots(6);
      const [f32, f64] = await Promise.all([own.simulateShots(shots), own.simulateShots(shots, { precision: "f64" })]);
      expect([own.threads("f32"), own.threads("f64")]).toEqual([2, 2]);
      expect(f32).toEqual(simulateShots(shots));
      expect(f64).toEqual(simulateShots(shots, { precision: "f64" }));
      expect(f64[0].balls).not.toEqual(f32[0].balls); // two precisions really ran
    } finally {
      await own.close();
    }
  });

  it("runs concurrent batches without mixing them up", async () => {
    const a = variedShots(5);
    const b = variedShots(7).reverse();
    const [ra, rb] = await Promise.all([pool.simulateShots(a), pool.simulateShots(b)]);
    expect(ra).toEqual(simulateShots(a));
    expect(rb).toEqual(simulateShots(b));
  });

  it("rejects a bad shot with the engine's RangeError and keeps working", async () => {
    await expect(pool.simulateShots([{ table: "9ft", balls: [{ id: 0, x: 9, y: 0 }] }])).rejects.toThrow(RangeError);
    expect(await pool.simulateShots([MIDGAME_SHOT])).toEqual(simulateShots([MIDGAME_SHOT]));
  });

  it("bounds its queue, and refuses work once closed after finishing what it took", async () => {
    const small = new CpuWorkerPool({ workers: 1, max_queued_chunks: 2, max_chunk_shots: 1 });
    await expect(small.simulateShots(variedShots(3))).rejects.toThrow(PoolQueueFullError);
    const pending = small.simulateShots(variedShots(2));
    const closed = small.close();
    await expect(small.simulateShots(variedShots(1))).rejects.toThrow(PoolClosedError);
    expect(await pending).toHaveLength(2);
    await closed;
  });
});
