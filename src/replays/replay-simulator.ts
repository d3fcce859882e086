import { simulateShot } from "../../simulation/pool/index.ts";
import { CpuPoolBackend } from "../physics/batcher.ts";
import { CpuWorkerPool } from "../physics/cpu-worker-pool.ts";
import { WebGpuBackend } from "../physics/webgpu-backend.ts";
import type { PoolReplay } from "./format.ts";
import type { ReplaySimulator } from "./verify.ts";

export interface BackendReplaySimulator {
  simulate: ReplaySimulator;
  close(): Promise<void>;
}

/**
 * Re-simulates each stored shot on the backend that computed it: float32 on a GPU and on the CPU part ways within a
 * few collisions of a break, so only the same backend can reproduce a shot bit for bit. A replay with WebGPU shots
 * needs a WebGPU adapter; without one this says so rather than compare against the CPU.
 */
export async function backendReplaySimulator(replay: PoolReplay): Promise<BackendReplaySimulator> {
  const needsGpu = replay.results.some((result) => result.kind === "shot" && result.backend === "webgpu");
  const gpu = needsGpu
    ? await WebGpuBackend.create({ cpuFallback: () => new CpuPoolBackend(new CpuWorkerPool({ workers: 1 })) })
    : null;
  if (needsGpu && !gpu) {
    throw new Error("this match was simulated on WebGPU and this machine has no WebGPU adapter to replay it on");
  }
  return {
    async simulate(input, backend) {
      if (backend === "webgpu" && gpu) {
        const [result] = await gpu.simulate([input]);
        if (gpu.name !== "webgpu") throw new Error("the WebGPU device was lost during the replay");
        return result!;
      }
      return simulateShot(input);
    },
    async close() {
      await gpu?.close();
    },
  };
}
