// The property test's sample on WebGPU: random legal tables of every kind (breaks, clusters, balls frozen to
// cushions, pushes, open tables) run on the WGSL kernel come to rest in legal tables, with the same assertions as the
// CPU run (shot-properties.ts) except the energy trace, which is a CPU diagnostic. Seeded like the CPU test
// (POOL_PROPERTY_SEED); a failure names its case's seed.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebGpuPoolEngine } from "../../../../src/physics/webgpu-engine.ts";
import { randomCase, TABLE_KINDS } from "../random-tables.ts";
import { shotViolation } from "../shot-properties.ts";
import { COMPILE_TIMEOUT_MS, noAdapter, testDevice } from "./gpu.ts";

const BASE_SEED = Number(process.env.POOL_PROPERTY_SEED ?? 20_261_201);
/** lavapipe runs the sample in a few seconds on the 2-core CI machine. */
const SAMPLE = 256;

describe.skipIf(noAdapter)("every shot comes to rest in a legal table (WebGPU)", () => {
  let engine: WebGpuPoolEngine;
  beforeAll(async () => {
    if (!testDevice) return;
    engine = new WebGpuPoolEngine(testDevice.device);
    await engine.ready;
  }, COMPILE_TIMEOUT_MS);
  afterAll(() => engine?.destroy());

  it(
    `${SAMPLE} random tables of every kind`,
    async () => {
      // A different stretch of seeds from the CPU run's first cases, every kind represented.
      const cases = Array.from({ length: SAMPLE }, (_, i) => randomCase(BASE_SEED + 1_000_000 + i));
      expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(TABLE_KINDS));
      const results = await engine.simulate(cases.map((c) => c.shot));
      const failures: string[] = [];
      for (const [i, r] of results.entries()) {
        const why = shotViolation(cases[i].shot, r);
        if (why) failures.push(`seed ${cases[i].seed} (${cases[i].kind}, ${cases[i].shot.table}): ${why}`);
      }
      expect(failures).toEqual([]);
    },
    COMPILE_TIMEOUT_MS,
  );
});
