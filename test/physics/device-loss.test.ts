// A WebGPU device destroyed while a batch is running: every pending shot still resolves, with the result the CPU
// engine gives, on a recreated device, or on the CPU once no device may be recreated; losses and the fallback are
// logged and counted.

import { afterEach, describe, expect, it } from "vitest";
import { midGameShot, type ShotInput, simulateShots } from "../../simulation/pool/index.ts";
import { CpuPoolBackend, ShotBatcher } from "../../src/physics/batcher.ts";
import { CpuWorkerPool } from "../../src/physics/cpu-worker-pool.ts";
import { WebGpuBackend } from "../../src/physics/webgpu-backend.ts";
import { COMPILE_TIMEOUT_MS, noAdapter } from "../simulation/pool/webgpu/gpu.ts";
import { AGREEMENT_SHOTS } from "../simulation/pool/webgpu/shots.ts";
import { recordingObserver } from "./recording-observer.ts";

const SHOTS: ShotInput[] = [...AGREEMENT_SHOTS.map(([, shot]) => shot), midGameShot()];

function pocketsOf(results: { balls: { id: number; pocket: number | null }[] }[]): string[] {
  return results.map((r) =>
    r.balls
      .filter((b) => b.pocket !== null)
      .map((b) => `${b.id}@${b.pocket}`)
      .join(","),
  );
}

describe.skipIf(noAdapter)("WebGPU device loss", () => {
  let batcher: ShotBatcher | undefined;
  afterEach(async () => {
    await batcher?.close();
    batcher = undefined;
  });

  async function start(maxRecoveries: number) {
    const { seen, observer } = recordingObserver();
    const backend = await WebGpuBackend.create({
      cpuFallback: () => new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })),
      max_recoveries: maxRecoveries,
      onDeviceLost: (reason) => observer.deviceLost(reason),
      onFallback: (reason) => observer.fallback(reason),
    });
    if (!backend) throw new Error("an adapter was found but no device could be created");
    batcher = new ShotBatcher(backend, { observer, windowMs: 1 });
    await Promise.all(SHOTS.map((shot) => batcher?.submit(shot))); // warm: the pipeline is compiled
    return { backend, batcher, seen };
  }

  /** Destroys the device right after the next batch is submitted to it: the loss lands while the shots run. */
  function destroyAfterNextSubmit(device: GPUDevice, onDestroy: () => void): void {
    const queue = device.queue;
    const submit = queue.submit.bind(queue);
    queue.submit = (commandBuffers: Iterable<GPUCommandBuffer>) => {
      submit(commandBuffers);
      queue.submit = submit;
      onDestroy();
      device.destroy();
    };
  }

  it(
    "re-runs the batch in flight on a recreated device when the device is destroyed mid-run",
    async () => {
      const { backend, batcher, seen } = await start(3);
      const first = backend.device as GPUDevice;
      let queuedAtLoss = -1;
      destroyAfterNextSubmit(first, () => {
        queuedAtLoss = batcher.queued;
      });
      const results = await Promise.all(SHOTS.map((shot) => batcher.submit(shot)));
      expect(queuedAtLoss).toBe(SHOTS.length);
      expect(pocketsOf(results)).toEqual(pocketsOf(simulateShots(SHOTS)));
      expect(backend.name).toBe("webgpu");
      expect(backend.recoveries).toBe(1);
      expect(backend.device).not.toBe(first);
      expect(seen.lost.length).toBe(1);
      expect(seen.fallbacks).toEqual([]);
      // The new device keeps serving.
      const again = await Promise.all(SHOTS.map((shot) => batcher.submit(shot)));
      expect(pocketsOf(again)).toEqual(pocketsOf(results));
    },
    COMPILE_TIMEOUT_MS,
  );

  it(
    "falls back to the CPU when no new device may be created, and every pending shot still resolves",
    async () => {
      const { backend, batcher, seen } = await start(0);
      let queuedAtLoss = -1;
      destroyAfterNextSubmit(backend.device as GPUDevice, () => {
        queuedAtLoss = batcher.queued;
      });
      const results = await Promise.all(SHOTS.map((shot) => batcher.submit(shot)));
      expect(queuedAtLoss).toBe(SHOTS.length);
      expect(pocketsOf(results)).toEqual(pocketsOf(simulateShots(SHOTS)));
      expect(backend.name).toBe("cpu");
      expect(batcher.backend).toBe("cpu");
      expect(seen.fallbacks.length).toBe(1);
      expect(seen.backends.at(-1)).toBe("cpu");
      expect(seen.batches.at(-1)?.backend).toBe("cpu");
    },
    COMPILE_TIMEOUT_MS,
  );

  it(
    "a slow first compile is not a lost device: the batch timeout starts once the pipeline is ready",
    async () => {
      const COMPILE_DELAY_MS = 3_000;
      const BATCH_TIMEOUT_MS = 1_500;
      const proto = GPUDevice.prototype;
      const compile = proto.createComputePipelineAsync;
      proto.createComputePipelineAsync = function (this: GPUDevice, descriptor: GPUComputePipelineDescriptor) {
        return new Promise((resolve) => setTimeout(resolve, COMPILE_DELAY_MS)).then(() =>
          compile.call(this, descriptor),
        );
      };
      const { seen, observer } = recordingObserver();
      let backend: WebGpuBackend | null = null;
      try {
        backend = await WebGpuBackend.create({
          cpuFallback: () => new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })),
          batch_timeout_ms: BATCH_TIMEOUT_MS,
          onDeviceLost: (reason) => observer.deviceLost(reason),
          onFallback: (reason) => observer.fallback(reason),
        });
        proto.createComputePipelineAsync = compile;
        if (!backend) throw new Error("an adapter was found but no device could be created");
        const started = performance.now();
        const [result] = await backend.simulate([AGREEMENT_SHOTS[0][1]]);
        expect(performance.now() - started).toBeGreaterThan(BATCH_TIMEOUT_MS); // the compile outlasted the timeout
        expect(result.complete).toBe(true);
        expect(backend.name).toBe("webgpu");
        expect(backend.recoveries).toBe(0);
        expect(seen.lost).toEqual([]);
        expect(seen.fallbacks).toEqual([]);
      } finally {
        proto.createComputePipelineAsync = compile;
        await backend?.close();
      }
    },
    COMPILE_TIMEOUT_MS,
  );
});
