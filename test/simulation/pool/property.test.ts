// Every shot comes to rest in a legal table: over ten thousand random legal tables (breaks from racks with real
// gaps and frozen balls, clusters, balls frozen to each other and to cushions, slow pushes, open tables, every speed
// and spin the room accepts) and the shots that follow from their final tables, no shot reaches a cap, no ball is
// left moving, no two balls overlap, the energy never rises, and every final table is a valid next shot.
// Seeded: POOL_PROPERTY_SEED=<n> replays a run; a failure names the case's seed (randomCase(seed) rebuilds it).

import { afterAll, describe, expect, it } from "vitest";
import {
  MAX_BATCH_SHOTS,
  type ShotInput,
  type ShotResult,
  type SimulateOptions,
} from "../../../simulation/pool/index.ts";
import { CpuWorkerPool } from "../../../src/physics/cpu-worker-pool.ts";
import { nextShot, type RandomCase, randomCase } from "./random-tables.ts";
import { shotViolation } from "./shot-properties.ts";

const BASE_SEED = Number(process.env.POOL_PROPERTY_SEED ?? 20_261_201);
const CASES = 10_000;
/** Every this many cases also plays the next shot from its final table, and is rerun in float64. */
const FOLLOW_UP_EVERY = 4;
const F64_EVERY = 10;

describe("every shot comes to rest in a legal table (CPU)", () => {
  const pool = new CpuWorkerPool({ workers: 2 });
  afterAll(() => pool.close());
  const simulate = async (shots: ShotInput[], options: SimulateOptions) => {
    const parts: Promise<ShotResult[]>[] = [];
    for (let i = 0; i < shots.length; i += MAX_BATCH_SHOTS)
      parts.push(pool.simulateShots(shots.slice(i, i + MAX_BATCH_SHOTS), options));
    return (await Promise.all(parts)).flat();
  };
  const failures: string[] = [];
  const check = (label: (i: number) => string, shots: ShotInput[], results: ShotResult[]) => {
    for (const [i, r] of results.entries()) {
      const why = shotViolation(shots[i], r);
      if (why) failures.push(`${label(i)}: ${why}`);
    }
  };

  it(`${CASES} random tables and their follow-up shots, in float32 (and a sample in float64)`, async () => {
    const cases: RandomCase[] = Array.from({ length: CASES }, (_, i) => randomCase(BASE_SEED + i));
    const shots = cases.map((c) => c.shot);
    const options: SimulateOptions = { trace_energy: true };
    const results = await simulate(shots, options);
    const name = (c: RandomCase) => `seed ${c.seed} (${c.kind}, ${c.shot.table})`;
    check((i) => name(cases[i]), shots, results);

    const follow: { c: RandomCase; shot: ShotInput }[] = [];
    for (const [i, c] of cases.entries()) {
      if (i % FOLLOW_UP_EVERY !== 0 || !results[i].complete) continue;
      const resting = results[i].balls.filter((b) => b.pocket === null).map(({ id, x, y }) => ({ id, x, y }));
      const shot = nextShot(c.shot.table, resting, c.seed);
      if (shot) follow.push({ c, shot });
    }
    const followResults = await simulate(
      follow.map((f) => f.shot),
      options,
    );
    check(
      (i) => `next shot after ${name(follow[i].c)}`,
      follow.map((f) => f.shot),
      followResults,
    );

    const f64 = cases.filter((_, i) => i % F64_EVERY === 0);
    check(
      (i) => `${name(f64[i])} in float64`,
      f64.map((c) => c.shot),
      await simulate(
        f64.map((c) => c.shot),
        { ...options, precision: "f64" },
      ),
    );

    const total = shots.length + follow.length + f64.length;
    console.log(
      `${total} shots (${CASES} random tables from seed ${BASE_SEED}, ${follow.length} follow-ups, ${f64.length} in float64): ${failures.length} violations`,
    );
    expect(total).toBeGreaterThanOrEqual(12_000);
    expect(failures.slice(0, 20)).toEqual([]);
    // The cases really are what they claim: frozen balls, pushes and breaks that scatter the rack.
    expect(results.filter((r) => r.events.some((e) => e.kind === "pocket")).length).toBeGreaterThan(CASES / 10);
  }, 300_000);
});
