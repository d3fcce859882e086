// npm run bench:physics — pool physics throughput, by backend. Each backend section measures the same scenarios
// (a break and a typical mid-game shot): shots/s single-threaded and through its parallel path, mean ms per shot,
// and simulated seconds per wall second. The CPU section also compares the event-driven kernel with a fixed
// time-step integrator built from the same evolve/resolve code, which is how the integration scheme was chosen.
// The WebGPU section runs the WGSL kernel on the process's adapter, and the section after it sets the two backends
// side by side: shots/s per batch size (1 to the 4,096-shot cap) with the WebGPU/CPU-pool ratio, and the latency a
// room sees through the shot batcher with 1 and with 1,000 tables shooting at once.
//
// First, the two checks every run prints whatever the flags: 1,000 random breaks (random racks with real gaps and
// frozen balls, the cue ball anywhere in the kitchen, 8–12 m/s) with the median and p99 of their compute time and
// simulated time to rest and the share that hit any cap; and float32 time before and after a float64 run, side by
// side, on the CPU pool (one precision per worker) and in a single thread that runs both.
//
// Flags: --quick (shorter runs), --workers N (pool size; default cores − 1), --only cpu|webgpu (one backend's
// sections; the comparison needs both).

import { availableParallelism, cpus } from "node:os";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import {
  BALL_POCKETED,
  BALL_ROLLING,
  BALL_SLIDING,
  BALL_SPINNING,
  type ShotBatch,
} from "../../simulation/pool/ball-state.ts";
import {
  BALLS_PER_TABLE,
  CIRCLE_STRIDE,
  LINE_CUSHION_COUNT,
  LINE_STRIDE,
  POCKET_COUNT,
} from "../../simulation/pool/equipment.ts";
import { evolveBall, transitionTime } from "../../simulation/pool/evolve.ts";
import type { KernelParams, KernelTable } from "../../simulation/pool/kernel-params.ts";
import { DEFAULT_PHYSICS_PARAMS, IDEAL_COLLISION_PARAMS } from "../../simulation/pool/params.ts";
import { breakShot, midGameShot, randomBreak } from "../../simulation/pool/rack.ts";
import {
  resolveBallBall,
  resolveBallCushion,
  resolvePocket,
  resolveTransition,
} from "../../simulation/pool/resolve.ts";
import {
  packShots,
  type ShotInput,
  type ShotResult,
  simulateShot,
  simulateShots,
  unpackResults,
} from "../../simulation/pool/simulate-shots.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import type { PhysicsObserver } from "../../src/metrics/physics-metrics.ts";
import { CpuPoolBackend, type PhysicsBackend, ShotBatcher } from "../../src/physics/batcher.ts";
import { CpuWorkerPool, defaultWorkerCount } from "../../src/physics/cpu-worker-pool.ts";
import { type PoolDevice, requestPoolDevice } from "../../src/physics/webgpu-device.ts";
import { WebGpuPoolEngine } from "../../src/physics/webgpu-engine.ts";

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const workersArg = args.indexOf("--workers");
const WORKERS = workersArg >= 0 ? Number(args[workersArg + 1]) : defaultWorkerCount();
const SECONDS = QUICK ? 0.5 : 2;
const onlyArg = args.indexOf("--only");
const ONLY = onlyArg >= 0 ? args[onlyArg + 1] : "all";

const SCENARIOS: [string, ShotInput][] = [
  ["break (9-ft, 10 m/s)", breakShot("9ft")],
  ["mid-game (9-ft, 4 m/s, english)", midGameShot()],
];

interface Row {
  scenario: string;
  mode: string;
  shots_per_s: number;
  ms_per_shot: number;
  sim_s_per_wall_s: number;
  events_per_shot: number;
}

function printRows(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  console.log("| scenario | mode | shots/s | ms/shot | simulated s per wall s | events/shot |");
  console.log("|---|---|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.scenario} | ${r.mode} | ${r.shots_per_s.toFixed(0)} | ${r.ms_per_shot.toFixed(3)} | ${r.sim_s_per_wall_s.toFixed(0)} | ${r.events_per_shot.toFixed(0)} |`,
    );
  }
}

// ---- Backend: CPU ----------------------------------------------------------------------------------------------

function timeLoop(
  run: () => ShotResult[],
  seconds: number,
): { shots: number; wall_s: number; sim_s: number; events: number } {
  let shots = 0;
  let sim = 0;
  let events = 0;
  const start = performance.now();
  let now = start;
  while (now - start < seconds * 1000) {
    for (const r of run()) {
      shots++;
      sim += r.total_time_s;
      events += r.events.length;
    }
    now = performance.now();
  }
  return { shots, wall_s: (now - start) / 1000, sim_s: sim, events };
}

async function benchCpu(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, shot] of SCENARIOS) {
    for (let i = 0; i < 200; i++) simulateShot(shot); // warm the JIT
    const batch = new Array<ShotInput>(64).fill(shot);
    for (const [mode, run] of [
      ["single thread, one shot per call", () => [simulateShot(shot)]],
      ["single thread, batches of 64", () => simulateShots(batch)],
    ] as const) {
      const m = timeLoop(run, SECONDS);
      rows.push({
        scenario: name,
        mode,
        shots_per_s: m.shots / m.wall_s,
        ms_per_shot: (1000 * m.wall_s) / m.shots,
        sim_s_per_wall_s: m.sim_s / m.wall_s,
        events_per_shot: m.events / m.shots,
      });
    }
  }
  const pool = new CpuWorkerPool({ workers: WORKERS });
  try {
    for (const [name, shot] of SCENARIOS) {
      const batch = new Array<ShotInput>(64 * pool.size).fill(shot);
      for (let i = 0; i < 3; i++) await pool.simulateShots(batch); // warm every worker
      let shots = 0;
      let sim = 0;
      let events = 0;
      const start = performance.now();
      while (performance.now() - start < SECONDS * 1000) {
        for (const r of await pool.simulateShots(batch)) {
          shots++;
          sim += r.total_time_s;
          events += r.events.length;
        }
      }
      const wall = (performance.now() - start) / 1000;
      rows.push({
        scenario: name,
        mode: `worker pool (${pool.size} workers, batches of ${batch.length})`,
        shots_per_s: shots / wall,
        ms_per_shot: (1000 * wall) / shots,
        sim_s_per_wall_s: sim / wall,
        events_per_shot: events / shots,
      });
    }
  } finally {
    await pool.close();
  }
  return rows;
}

// ---- Integration scheme: fixed time step against the event-driven kernel -----------------------------------------
// The fixed-step integrator advances every ball by dt with the same closed-form evolve, then resolves whatever
// overlaps (balls, cushion lines, jaws, pockets) where the step left it: the usual game-engine scheme.

function fixedStepShot(
  b: ShotBatch,
  s: number,
  table: KernelTable,
  p: KernelParams,
  dt: number,
  maxTime: number,
): number {
  const base = s * BALLS_PER_TABLE;
  let t = 0;
  for (; t < maxTime; t += dt) {
    let moving = false;
    for (let i = 0; i < BALLS_PER_TABLE; i++) {
      const k = base + i;
      const st = b.state[k];
      if (st !== BALL_SLIDING && st !== BALL_ROLLING && st !== BALL_SPINNING) continue;
      moving = true;
      const tt = transitionTime(b, k, p);
      evolveBall(b, k, Math.min(dt, tt), p);
      if (tt <= dt) resolveTransition(b, k, p);
    }
    if (!moving) break;
    for (let i = 0; i < BALLS_PER_TABLE; i++) {
      const k = base + i;
      if (b.state[k] === BALL_POCKETED) continue;
      for (let q = 0; q < POCKET_COUNT; q++) {
        const o = q * CIRCLE_STRIDE;
        if (Math.hypot(b.px[k] - table.pockets[o], b.py[k] - table.pockets[o + 1]) < table.pockets[o + 2])
          resolvePocket(b, k, q);
      }
      if (b.state[k] === BALL_POCKETED) continue;
      for (let c = 0; c < LINE_CUSHION_COUNT; c++) {
        const o = c * LINE_STRIDE;
        const l = table.lines;
        const sx = l[o + 2] - l[o];
        const sy = l[o + 3] - l[o + 1];
        const along = ((b.px[k] - l[o]) * sx + (b.py[k] - l[o + 1]) * sy) / (sx * sx + sy * sy);
        const dist = (b.px[k] - l[o]) * l[o + 4] + (b.py[k] - l[o + 1]) * l[o + 5];
        if (along >= 0 && along <= 1 && dist < p.R && dist > -p.R)
          resolveBallCushion(b, k, l[o + 4], l[o + 5], p, table);
      }
      for (let c = 0; c < table.circles.length / CIRCLE_STRIDE; c++) {
        const o = c * CIRCLE_STRIDE;
        const dx = b.px[k] - table.circles[o];
        const dy = b.py[k] - table.circles[o + 1];
        const d = Math.hypot(dx, dy);
        if (d < p.R + table.circles[o + 2]) resolveBallCushion(b, k, dx / d, dy / d, p, table);
      }
      for (let j = i + 1; j < BALLS_PER_TABLE; j++) {
        const kj = base + j;
        if (b.state[kj] === BALL_POCKETED) continue;
        if (Math.hypot(b.px[kj] - b.px[k], b.py[kj] - b.py[k]) < p.two_R) resolveBallBall(b, k, kj, p);
      }
    }
  }
  return t;
}

function runFixedStep(shot: ShotInput, dt: number, params: object = {}): ShotResult {
  const packed = packShots([shot], { params, limits: { keyframe_capacity: 16 } });
  const t = fixedStepShot(packed.batch, 0, packed.tables[packed.batch.table[0]], packed.params, dt, 120);
  packed.batch.time_s[0] = t;
  return unpackResults(packed)[0];
}

/** Stun cut at 45°, e = 1, no friction: the balls must separate at 90°. Returns |error| in degrees. */
function cutAngleError(run: (shot: ShotInput) => ShotResult): number {
  const R = DEFAULT_PHYSICS_PARAMS.ball_radius_m;
  const shot: ShotInput = {
    table: "9ft",
    balls: [
      { id: 0, x: -0.3, y: 0, vx: 3, vy: 0 },
      { id: 1, x: 0, y: 2 * R * Math.sin(Math.PI / 4) },
    ],
  };
  const r = run(shot);
  // Final positions after the cloth-free slide give each ball's direction from the contact.
  const cue = r.balls[0];
  const obj = r.balls[1];
  const c = { x: -2 * R * Math.cos(Math.PI / 4), y: 0 };
  const a1 = Math.atan2(cue.y - c.y, cue.x - c.x);
  const a2 = Math.atan2(obj.y - 2 * R * Math.sin(Math.PI / 4), obj.x);
  return Math.abs(Math.abs(((a1 - a2) * 180) / Math.PI) - 90);
}

function benchIntegration(): void {
  console.log("\n## Integration scheme: event-driven kernel against a fixed time step (CPU, float32)");
  console.log(
    "| scheme | 45° stun cut: error in separation angle (°) | break: ms/shot | break: final-position spread vs event-driven (mm, median) |",
  );
  console.log("|---|---:|---:|---:|");
  const ideal = { ...IDEAL_COLLISION_PARAMS, mu_slide: 0, mu_roll: 0, mu_spin: 0 };
  const eventRun = (shot: ShotInput) => simulateShot(shot, { params: ideal, limits: { max_time_s: 0.3 } });
  const brk = breakShot("9ft");
  const reference = simulateShot(brk);
  const timeIt = (f: () => ShotResult, n: number) => {
    f();
    const start = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - start) / n;
  };
  const eventMs = timeIt(() => simulateShot(brk), QUICK ? 50 : 200);
  console.log(
    `| event-driven (exact contact times) | ${cutAngleError(eventRun).toExponential(1)} | ${eventMs.toFixed(3)} | 0 |`,
  );
  for (const dt of [1e-3, 1e-4]) {
    const fixedRun = (shot: ShotInput) => {
      const packed = packShots([shot], { params: ideal, limits: { keyframe_capacity: 16 } });
      fixedStepShot(packed.batch, 0, packed.tables[0], packed.params, dt, 0.3);
      return unpackResults(packed)[0];
    };
    const n = dt < 1e-3 ? 1 : QUICK ? 2 : 5;
    const ms = timeIt(() => runFixedStep(brk, dt), n);
    const result = runFixedStep(brk, dt);
    const spread = result.balls
      .map((b, i) => 1000 * Math.hypot(b.x - reference.balls[i].x, b.y - reference.balls[i].y))
      .sort((a, b) => a - b);
    console.log(
      `| fixed step dt = ${dt * 1000} ms | ${cutAngleError(fixedRun).toFixed(3)} | ${ms.toFixed(1)} | ${spread[spread.length >> 1].toFixed(0)} |`,
    );
  }
}

// ---- Report -----------------------------------------------------------------------------------------------------

// ---- Backend: WebGPU --------------------------------------------------------------------------------------------

async function benchWebGpu(engine: WebGpuPoolEngine): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, shot] of SCENARIOS) {
    for (const size of [64, 1024]) {
      const batch = new Array<ShotInput>(size).fill(shot);
      await engine.simulate(batch); // buffers sized, kernel warm
      let shots = 0;
      let sim = 0;
      let events = 0;
      const start = performance.now();
      do {
        for (const r of await engine.simulate(batch)) {
          shots++;
          sim += r.total_time_s;
          events += r.events.length;
        }
      } while (performance.now() - start < SECONDS * 1000);
      const wall = (performance.now() - start) / 1000;
      rows.push({
        scenario: name,
        mode: `one dispatch per batch of ${size}`,
        shots_per_s: shots / wall,
        ms_per_shot: (1000 * wall) / shots,
        sim_s_per_wall_s: sim / wall,
        events_per_shot: events / shots,
      });
    }
  }
  return rows;
}

// ---- Backends side by side -------------------------------------------------------------------------------------

const BATCH_SIZES = [1, 16, 256, 1024, 4096];

/** Shots/s for one batch size: repeated until SECONDS have passed (at least twice), after one warm-up batch. */
async function shotsPerSecond(run: (batch: ShotInput[]) => Promise<ShotResult[]>, batch: ShotInput[]) {
  await run(batch);
  let shots = 0;
  let rounds = 0;
  const start = performance.now();
  do {
    shots += (await run(batch)).length;
    rounds++;
  } while (rounds < 2 || performance.now() - start < SECONDS * 1000);
  return shots / ((performance.now() - start) / 1000);
}

// A mix of what tables shoot: mostly mid-game shots, one break in eight.
function mixedBatch(size: number): ShotInput[] {
  return Array.from({ length: size }, (_, i) => (i % 8 === 7 ? breakShot("9ft") : midGameShot()));
}

async function compareBatchSizes(backends: [string, (batch: ShotInput[]) => Promise<ShotResult[]>][]) {
  console.log("\n## Shots/s by batch size (7 mid-game shots to 1 break)");
  console.log(
    `| batch | ${backends.map(([n]) => `${n} shots/s`).join(" | ")} |${backends.length > 1 ? " WebGPU / CPU pool |" : ""}`,
  );
  console.log(`|---:|${backends.map(() => "---:").join("|")}|${backends.length > 1 ? "---:|" : ""}`);
  for (const size of BATCH_SIZES) {
    const batch = mixedBatch(size);
    const rates: number[] = [];
    for (const [, run] of backends) rates.push(await shotsPerSecond(run, batch));
    const ratio = backends.length > 1 ? ` ${(rates[1] / rates[0]).toFixed(2)} |` : "";
    console.log(`| ${size} | ${rates.map((r) => r.toFixed(0)).join(" | ")} |${ratio}`);
  }
  console.log("(4,096 is the cap on one batch, MAX_BATCH_SHOTS: larger submissions are split by the batcher.)");
}

const quietObserver: PhysicsObserver = {
  batch() {},
  backend() {},
  queued() {},
  deviceLost() {},
  fallback() {},
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Submit-to-result latency through a ShotBatcher (default window and batch size) with `tables` shooting at once. */
async function batcherLatency(backend: PhysicsBackend, tables: number, rounds: number) {
  const batcher = new ShotBatcher(backend, { observer: quietObserver });
  const latencies: number[] = [];
  const shots = mixedBatch(tables);
  await Promise.all(shots.map((shot) => batcher.submit(shot))); // warm
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      shots.map(async (shot) => {
        const start = performance.now();
        await batcher.submit(shot);
        latencies.push(performance.now() - start);
      }),
    );
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function compareLatency(backends: [string, () => PhysicsBackend][]) {
  console.log("\n## Latency a room sees through the batcher (submit to result, ms)");
  console.log("| backend | 1 table: p50 | p99 | 1,000 tables at once: p50 | p99 |");
  console.log("|---|---:|---:|---:|---:|");
  for (const [name, make] of backends) {
    const backend = make();
    try {
      const one = await batcherLatency(backend, 1, QUICK ? 20 : 100);
      const many = await batcherLatency(backend, 1000, QUICK ? 2 : 5);
      console.log(
        `| ${name} | ${one.p50.toFixed(2)} | ${one.p99.toFixed(2)} | ${many.p50.toFixed(0)} | ${many.p99.toFixed(0)} |`,
      );
    } finally {
      await backend.close();
    }
  }
}

// ---- Random breaks and precision ---------------------------------------------------------------------------------

const RANDOM_BREAKS = 1000;

function randomBreaks(count: number, firstSeed = 1): ShotInput[] {
  return Array.from({ length: count }, (_, i) => randomBreak(i % 2 ? "7ft" : "9ft", seededUniform(firstSeed + i)));
}

function capped(r: ShotResult): boolean {
  return !r.complete;
}

function summarise(results: ShotResult[], computeMs: number[] | null): string[] {
  const rest = results.map((r) => r.total_time_s).sort((a, b) => a - b);
  const steps = results.map((r) => r.steps).sort((a, b) => a - b);
  const lines = [
    `| simulated time to rest (s) | ${percentile(rest, 50).toFixed(2)} | ${percentile(rest, 99).toFixed(2)} |`,
    `| kernel steps | ${percentile(steps, 50)} | ${percentile(steps, 99)} |`,
  ];
  if (computeMs) {
    const sorted = [...computeMs].sort((a, b) => a - b);
    lines.unshift(
      `| compute time per break (ms) | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} |`,
    );
  }
  const share = results.filter(capped).length / results.length;
  lines.push(
    `| share that hit any cap | ${(100 * share).toFixed(2)} % (${results.filter(capped).length} of ${results.length}) | |`,
  );
  return lines;
}

function benchRandomBreaks(): void {
  const shots = randomBreaks(RANDOM_BREAKS);
  for (const shot of shots.slice(0, 50)) simulateShot(shot); // warm the JIT
  const results: ShotResult[] = [];
  const computeMs: number[] = [];
  for (const shot of shots) {
    const start = performance.now();
    results.push(simulateShot(shot));
    computeMs.push(performance.now() - start);
  }
  console.log(`\n## ${RANDOM_BREAKS} random breaks, CPU, float32, one at a time on the main thread`);
  console.log("| | median | p99 |");
  console.log("|---|---:|---:|");
  for (const line of summarise(results, computeMs)) console.log(line);
}

/** Float32 ms per shot of a batch through the pool; float64 likewise. */
async function poolMsPerShot(pool: CpuWorkerPool, shots: ShotInput[], precision: "f32" | "f64"): Promise<number> {
  const start = performance.now();
  await pool.simulateShots(shots, { precision });
  return (performance.now() - start) / shots.length;
}

// In a thread of its own (the bench runs this file again as a worker): float32, then float64, then float32 again,
// all in that one thread.
function mixedThreadMsPerShot(shots: ShotInput[]): { before: number; f64: number; after: number } {
  const time = (precision: "f32" | "f64") => {
    const start = performance.now();
    for (const shot of shots) simulateShot(shot, { precision });
    return (performance.now() - start) / shots.length;
  };
  time("f32"); // warm
  const before = time("f32");
  const f64 = time("f64");
  time("f32");
  return { before, f64, after: time("f32") };
}

async function benchPrecision(): Promise<void> {
  const shots = randomBreaks(QUICK ? 100 : 300, 5000);
  const pool = new CpuWorkerPool({ workers: 1 });
  let poolTimes: { before: number; f64: number; after: number };
  try {
    for (let i = 0; i < 3; i++) await poolMsPerShot(pool, shots, "f32"); // warm
    const before = await poolMsPerShot(pool, shots, "f32");
    const f64 = await poolMsPerShot(pool, shots, "f64");
    await poolMsPerShot(pool, shots, "f32");
    poolTimes = { before, f64, after: await poolMsPerShot(pool, shots, "f32") };
  } finally {
    await pool.close();
  }
  const worker = new Worker(new URL(import.meta.url), { argv: ["--precision-worker", ...args] });
  const mixed = await new Promise<{ before: number; f64: number; after: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  console.log(`\n## Precision: float32 before and after a float64 run (${shots.length} random breaks, ms per break)`);
  console.log("| where | float32 before | float64 | float32 after | after / before |");
  console.log("|---|---:|---:|---:|---:|");
  for (const [where, t] of [
    ["CPU pool (float64 batches on workers of their own)", poolTimes],
    ["one thread that runs both precisions", mixed],
  ] as const) {
    console.log(
      `| ${where} | ${t.before.toFixed(2)} | ${t.f64.toFixed(2)} | ${t.after.toFixed(2)} | ${(t.after / t.before).toFixed(2)} |`,
    );
  }
  console.log("(The server's float32 work runs on the pool's float32 workers; see simulation/pool/precision.ts.)");
}

async function main(): Promise<void> {
  console.log(`# Pool physics benchmark (${new Date().toISOString()})`);
  console.log(
    `machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, Node ${process.version}`,
  );
  const gpu: PoolDevice | null = ONLY === "cpu" ? null : await requestPoolDevice();
  if (ONLY !== "cpu") {
    console.log(
      gpu
        ? `WebGPU adapter: ${gpu.description}${/llvmpipe|lavapipe|swiftshader/i.test(gpu.description) ? " (software rendering on the CPU: no GPU)" : ""}`
        : "WebGPU: no adapter on this machine, WebGPU sections skipped",
    );
  }
  benchRandomBreaks();
  await benchPrecision();
  if (ONLY !== "webgpu") await cpuSections();
  if (!gpu) return;
  const engine = new WebGpuPoolEngine(gpu.device);
  await engine.ready;
  {
    const breaks = randomBreaks(RANDOM_BREAKS);
    const results: ShotResult[] = [];
    const start = performance.now();
    for (let i = 0; i < breaks.length; i += 250) results.push(...(await engine.simulate(breaks.slice(i, i + 250))));
    const software = /llvmpipe|lavapipe|swiftshader/i.test(gpu.description) ? ", software adapter" : "";
    console.log(
      `\n## ${RANDOM_BREAKS} random breaks on WebGPU${software}: ${(performance.now() - start).toFixed(0)} ms in batches of 250`,
    );
    console.log("| | median | p99 |");
    console.log("|---|---:|---:|");
    for (const line of summarise(results, null)) console.log(line);
  }
  printRows("Backend: WebGPU (WGSL kernel, one invocation per shot)", await benchWebGpu(engine));
  const pool = ONLY === "webgpu" ? null : new CpuWorkerPool({ workers: WORKERS });
  try {
    const runs: [string, (batch: ShotInput[]) => Promise<ShotResult[]>][] = [];
    if (pool) runs.push([`CPU pool (${pool.size} workers)`, (batch) => pool.simulateShots(batch)]);
    runs.push(["WebGPU", (batch) => engine.simulate(batch)]);
    await compareBatchSizes(runs);
  } finally {
    await pool?.close();
  }
  const latencyBackends: [string, () => PhysicsBackend][] = [];
  if (ONLY !== "webgpu") {
    latencyBackends.push([
      `CPU pool (${WORKERS} workers)`,
      () => new CpuPoolBackend(new CpuWorkerPool({ workers: WORKERS })),
    ]);
  }
  latencyBackends.push([
    "WebGPU",
    () => ({ name: "webgpu", simulate: (shots: ShotInput[]) => engine.simulate(shots), close: async () => {} }),
  ]);
  await compareLatency(latencyBackends);
  engine.destroy();
  gpu.device.destroy();
}

async function cpuSections(): Promise<void> {
  printRows("Backend: CPU (TypeScript kernel, float32)", await benchCpu());
  // The goal, measured before the fixed-step comparison fills the heap: median of single-shot runs.
  const brk = breakShot("9ft");
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    simulateShot(brk);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  const p95 = times[Math.floor(times.length * 0.95)];
  benchIntegration();
  console.log(
    `\nGoal: a break simulated to rest in under 5 ms single-threaded: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms — ${median < 5 ? "met" : "NOT met"}`,
  );
}

if (isMainThread) {
  await main();
  // Dawn keeps the process alive while its instance exists.
  process.exit(0);
} else if (args.includes("--precision-worker")) {
  parentPort?.postMessage(mixedThreadMsPerShot(randomBreaks(QUICK ? 100 : 300, 5000)));
}
