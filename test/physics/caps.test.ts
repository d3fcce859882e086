// A cap never leaves a match stuck: with the engine's limits forced tiny, every shot through the batcher stops at a
// cap, yet ends with every ball at rest in a legal table, and the next shot from that table is accepted and played.

import { afterAll, describe, expect, it } from "vitest";
import type { BatchLimits } from "../../simulation/pool/index.ts";
import { randomBreak } from "../../simulation/pool/rack.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { CpuPoolBackend, ShotBatcher } from "../../src/physics/batcher.ts";
import { CpuWorkerPool } from "../../src/physics/cpu-worker-pool.ts";
import { nextShot } from "../simulation/pool/random-tables.ts";
import { shotViolation } from "../simulation/pool/shot-properties.ts";
import { recordingObserver } from "./recording-observer.ts";

const SEED = Number(process.env.POOL_CAPS_SEED ?? 7_001);
const SHOTS_PER_MATCH = 30;

const TINY_CAPS: [string, Partial<BatchLimits>][] = [
  ["8 steps", { max_steps: 8 }],
  ["4 events and 16 keyframes", { event_capacity: 4, keyframe_capacity: 16 }],
  ["50 ms of simulated time", { max_time_s: 0.05 }],
];

describe("a match under tiny caps goes on", () => {
  const batchers: ShotBatcher[] = [];
  afterAll(() => Promise.all(batchers.map((b) => b.close())));

  for (const [name, limits] of TINY_CAPS) {
    it(`every shot capped at ${name} ends in a legal table the next shot is played from`, async () => {
      const backend = new CpuPoolBackend(new CpuWorkerPool({ workers: 1 }), { limits });
      const batcher = new ShotBatcher(backend, { observer: recordingObserver().observer });
      batchers.push(batcher);
      let shot = randomBreak("9ft", seededUniform(SEED));
      let capped = 0;
      for (let n = 0; n < SHOTS_PER_MATCH; n++) {
        const label = `seed ${SEED}, shot ${n}`;
        const result = await batcher.submit(shot); // refuses (rejects) any table that is not a legal input
        if (!result.complete) capped++;
        expect(shotViolation(shot, result, { capsAllowed: true }), label).toBeNull();
        const resting = result.balls.filter((b) => b.pocket === null).map(({ id, x, y }) => ({ id, x, y }));
        const next = nextShot(shot.table, resting, SEED + n + 1);
        if (!next) break;
        shot = next;
      }
      // The caps really were reached: most shots were cut short.
      expect(capped).toBeGreaterThan(SHOTS_PER_MATCH / 2);
    });
  }
});
