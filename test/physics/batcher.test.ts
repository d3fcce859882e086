// The shot batcher: backend selection by PHYSICS_BACKEND, metrics for every batch, and an event loop that stays
// responsive while the CPU backend simulates a thousand shots.

import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { breakShot, midGameShot, simulateShots } from "../../simulation/pool/index.ts";
import { registry } from "../../src/metrics/metrics.ts";
import { physicsMetrics } from "../../src/metrics/physics-metrics.ts";
import { CpuPoolBackend, ShotBatcher, selectPhysicsBackend } from "../../src/physics/batcher.ts";
import { CpuWorkerPool } from "../../src/physics/cpu-worker-pool.ts";
import { softwareAdapterReason } from "../../src/physics/webgpu-device.ts";
import { COMPILE_TIMEOUT_MS, noAdapter, testDevice } from "../simulation/pool/webgpu/gpu.ts";
import { recordingLogger } from "./recording-logger.ts";
import { recordingObserver } from "./recording-observer.ts";

/** The event loop's worst delay while 1,000 shots are simulated on the CPU backend. */
const MAX_EVENT_LOOP_LAG_MS = 100;

describe("ShotBatcher on the CPU backend", () => {
  it(`keeps the event loop under ${MAX_EVENT_LOOP_LAG_MS} ms of lag while it simulates 1,000 shots`, async () => {
    const { seen, observer } = recordingObserver();
    const batcher = new ShotBatcher(new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })), {
      observer,
      maxBatch: 64,
    });
    try {
      await batcher.submit(midGameShot()); // workers started
      const shots = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? breakShot("9ft") : midGameShot()));
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      const started = performance.now();
      const results = await Promise.all(shots.map((shot) => batcher.submit(shot)));
      const elapsed_ms = performance.now() - started;
      histogram.disable();
      const maxLag_ms = histogram.max / 1e6;
      console.log(
        `1,000 shots on the CPU pool in ${elapsed_ms.toFixed(0)} ms; event loop lag p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, max ${maxLag_ms.toFixed(1)} ms`,
      );
      expect(results).toHaveLength(1000);
      expect(results.every((r) => r.complete)).toBe(true);
      expect(results[1].events).toEqual(simulateShots([midGameShot()])[0].events);
      expect(maxLag_ms).toBeLessThan(MAX_EVENT_LOOP_LAG_MS);
      // The work was spread over batches, each reported with its size and duration.
      expect(seen.batches.reduce((n, b) => n + b.shots, 0)).toBe(1001);
      expect(seen.batches.every((b) => b.backend === "cpu" && b.shots <= 64 && b.seconds > 0)).toBe(true);
      expect(Math.max(...seen.queued)).toBeGreaterThanOrEqual(1000);
      expect(seen.queued.at(-1)).toBe(0);
    } finally {
      await batcher.close();
    }
  }, 120_000);

  it("publishes batch sizes, durations, the backend and the queue on /metrics", async () => {
    const batcher = new ShotBatcher(new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })), {
      observer: physicsMetrics,
    });
    try {
      await Promise.all([batcher.submit(midGameShot()), batcher.submit(midGameShot())]);
    } finally {
      await batcher.close();
    }
    const text = await registry.metrics();
    expect(text).toMatch(/tablestakes_physics_batch_shots_count\{backend="cpu"\} [1-9]/);
    expect(text).toMatch(/tablestakes_physics_batch_duration_seconds_count\{backend="cpu"\} [1-9]/);
    expect(text).toContain('tablestakes_physics_backend{backend="cpu"} 1');
    expect(text).toContain('tablestakes_physics_backend{backend="webgpu"} 0');
    expect(text).toContain("tablestakes_physics_shots_queued 0");
    expect(text).toContain('tablestakes_physics_device_events_total{event="fallback"} 0');
  });
});

describe("PHYSICS_BACKEND selection", () => {
  it("cpu: the worker pool, whatever the machine has", async () => {
    const backend = await selectPhysicsBackend("cpu");
    expect(backend.name).toBe("cpu");
    await backend.close();
  });

  it.skipIf(noAdapter)(
    "webgpu: WebGPU on any adapter, a software one included, and its results are the physics' results",
    async () => {
      const backend = await selectPhysicsBackend("webgpu", { logger: recordingLogger().logger });
      expect(backend.name).toBe("webgpu");
      const batcher = new ShotBatcher(backend, { observer: recordingObserver().observer });
      const result = await batcher.submit(midGameShot());
      expect(result.events.map((e) => e.kind)).toEqual(simulateShots([midGameShot()])[0].events.map((e) => e.kind));
      expect(batcher.backend).toBe("webgpu");
      await batcher.close();
    },
    COMPILE_TIMEOUT_MS,
  );

  it.skipIf(noAdapter)(
    "auto: WebGPU only on a hardware adapter; on a software one (lavapipe) the CPU pool, saying why",
    async () => {
      const software = softwareAdapterReason(testDevice!.adapter);
      const { logger, lines } = recordingLogger();
      const backend = await selectPhysicsBackend("auto", { logger });
      try {
        expect(backend.name).toBe(software ? "cpu" : "webgpu");
        const chosen = lines.find((l) => String(l.msg).startsWith("pool physics on"));
        if (software) {
          expect(chosen?.msg).toMatch(/CPU worker pool: PHYSICS_BACKEND=auto uses WebGPU only on a hardware adapter/);
          expect(chosen?.reason).toBe(software);
          // The CPU pool answers the first shot at once: no shader compile stands in the way.
          const started = performance.now();
          const [result] = await backend.simulate([midGameShot()]);
          expect(result.complete).toBe(true);
          expect(performance.now() - started).toBeLessThan(10_000);
        } else expect(chosen?.msg).toBe("pool physics on WebGPU");
      } finally {
        await backend.close();
      }
    },
    COMPILE_TIMEOUT_MS,
  );

  it("refuses a bad shot at once on any backend without touching the batch", async () => {
    const batcher = new ShotBatcher(new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })), {
      observer: recordingObserver().observer,
    });
    await expect(batcher.submit({ table: "9ft", balls: [] })).rejects.toThrow(RangeError);
    expect(batcher.queued).toBe(0);
    await batcher.close();
  });
});
