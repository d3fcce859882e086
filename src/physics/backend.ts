// What the shot batcher runs batches on: a physics backend, and the CPU one (the worker pool). The WebGPU one is
// webgpu-backend.ts, loaded only when asked for.

import type { BatchLimits, ShotInput, ShotResult } from "../../simulation/pool/index.ts";
import { CpuWorkerPool } from "./cpu-worker-pool.ts";

/** Something that simulates a batch of shots, results in the order of the shots. */
export interface PhysicsBackend {
  readonly name: "cpu" | "webgpu";
  simulate(shots: ShotInput[]): Promise<ShotResult[]>;
  close(): Promise<void>;
}

export interface CpuPoolBackendOptions {
  /** The engine's per-shot limits (default DEFAULT_BATCH_LIMITS); tests force tiny caps through it. */
  limits?: Partial<BatchLimits>;
}

export class CpuPoolBackend implements PhysicsBackend {
  readonly name = "cpu";
  readonly #pool: CpuWorkerPool;
  readonly #limits: Partial<BatchLimits> | undefined;

  constructor(pool = new CpuWorkerPool(), options: CpuPoolBackendOptions = {}) {
    this.#pool = pool;
    this.#limits = options.limits;
  }

  simulate(shots: ShotInput[]): Promise<ShotResult[]> {
    return this.#pool.simulateShots(shots, this.#limits ? { limits: this.#limits } : {});
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
