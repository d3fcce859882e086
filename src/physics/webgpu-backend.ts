// The WebGPU physics backend with its device lifecycle: one device per process, created at start; a lost device
// (driver reset, `device.destroy()`, a failed dispatch) is replaced by a new one and the batch that was running is
// simulated again there; when no new device can be had, the backend hands every later batch to the CPU and says
// so in the logs and in /metrics. No shot is dropped by a loss: the batch in flight is always re-run.

import type { ShotInput, ShotResult } from "../../simulation/pool/index.ts";
import type { Logger } from "../logging.ts";
import type { PhysicsBackend } from "./backend.ts";
import { type PoolDevice, requestPoolDevice } from "./webgpu-device.ts";
import { WebGpuPoolEngine } from "./webgpu-engine.ts";

export interface WebGpuBackendOptions {
  logger?: Logger;
  /** Builds the CPU backend used once the GPU cannot be recovered. */
  cpuFallback: () => PhysicsBackend;
  /** Device recreations allowed over the process's life before falling back to the CPU; default 3. */
  max_recoveries?: number;
  /** Called on every device loss and on the fallback (metrics). */
  onDeviceLost?: (reason: string) => void;
  onFallback?: (reason: string) => void;
  /** Invocations per workgroup of the physics dispatch (default 64). */
  workgroup_size?: number;
  /**
   * A batch that has not come back after this long counts as a lost device (a hung queue or a read-back that never
   * resolves): the device is replaced and the batch run again. Default 30 s, far above any real batch's time. The
   * clock starts once the pipeline has compiled.
   */
  batch_timeout_ms?: number;
}

export class WebGpuBatchTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`a WebGPU batch did not complete within ${timeoutMs} ms`);
    this.name = "WebGpuBatchTimeoutError";
  }
}

async function withinTime<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WebGpuBatchTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Live {
  pool: PoolDevice;
  engine: WebGpuPoolEngine;
  lost: boolean;
}

export class WebGpuBackend implements PhysicsBackend {
  readonly #options: WebGpuBackendOptions;
  #live: Live | undefined;
  #cpu: PhysicsBackend | undefined;
  #recoveries = 0;
  #closed = false;
  #recovering: Promise<void> | undefined;

  private constructor(pool: PoolDevice, options: WebGpuBackendOptions) {
    this.#options = options;
    this.#live = this.#attach(pool);
  }

  /** A backend on a new device, or null where there is no adapter. */
  static async create(options: WebGpuBackendOptions): Promise<WebGpuBackend | null> {
    const pool = await requestPoolDevice(options.logger);
    if (!pool) return null;
    return new WebGpuBackend(pool, options);
  }

  /** "webgpu" while a device serves the batches, "cpu" once the backend has fallen back. */
  get name(): "cpu" | "webgpu" {
    return this.#cpu ? "cpu" : "webgpu";
  }

  /** The adapter in use (for logs and benchmarks), or null after the fallback. */
  get adapter(): string | null {
    return this.#live?.pool.description ?? null;
  }

  /** The device in use: tests destroy it to prove recovery. */
  get device(): GPUDevice | null {
    return this.#live?.pool.device ?? null;
  }

  get recoveries(): number {
    return this.#recoveries;
  }

  #attach(pool: PoolDevice): Live {
    const live: Live = {
      pool,
      engine: new WebGpuPoolEngine(pool.device, { workgroup_size: this.#options.workgroup_size }),
      lost: false,
    };
    pool.device.lost.then((info) => {
      live.lost = true;
      if (this.#closed || this.#live !== live) return;
      this.#lose(`${info.reason}: ${info.message}`);
    });
    return live;
  }

  #lose(reason: string): void {
    this.#options.logger?.warn({ reason }, "WebGPU device lost; pool physics will recreate it");
    this.#options.onDeviceLost?.(reason);
  }

  async simulate(shots: ShotInput[]): Promise<ShotResult[]> {
    for (;;) {
      if (this.#closed) throw new Error("the WebGPU backend is closed");
      if (this.#cpu) return this.#cpu.simulate(shots);
      const live = this.#live;
      if (!live || live.lost) {
        await this.#recover("device lost");
        continue;
      }
      // The first batch waits for the pipeline to compile (tens of seconds cold on a slow machine): that wait is
      // not the batch's, so it never counts against the batch timeout, and a compile that fails is a bug in the
      // shader, not a lost device: the CPU takes over at once.
      try {
        await live.engine.ready;
      } catch (error) {
        if (!live.lost) this.#fallBack(`the physics pipeline did not compile: ${String(error)}`);
        continue;
      }
      try {
        return await withinTime(live.engine.simulate(shots), this.#options.batch_timeout_ms ?? 30_000);
      } catch (error) {
        // A bad shot is the caller's error on any backend; anything else means the device failed us.
        if (error instanceof RangeError) throw error;
        if (!live.lost) {
          live.lost = true;
          this.#lose(error instanceof Error ? error.message : String(error));
        }
        await this.#recover(error instanceof Error ? error.message : String(error));
      }
    }
  }

  // One recovery at a time: concurrent batches that saw the same loss wait for it, then retry.
  #recover(reason: string): Promise<void> {
    this.#recovering ??= this.#replaceDevice(reason).finally(() => {
      this.#recovering = undefined;
    });
    return this.#recovering;
  }

  async #replaceDevice(reason: string): Promise<void> {
    const old = this.#live;
    if (old && !old.lost) return; // another batch already recovered
    this.#live = undefined;
    old?.engine.destroy();
    const limit = this.#options.max_recoveries ?? 3;
    if (this.#recoveries < limit) {
      this.#recoveries++;
      try {
        const pool = await requestPoolDevice(this.#options.logger);
        if (pool) {
          this.#live = this.#attach(pool);
          this.#options.logger?.warn({ reason, recoveries: this.#recoveries }, "WebGPU device recreated");
          return;
        }
      } catch (error) {
        this.#options.logger?.error({ err: error }, "WebGPU device could not be recreated");
      }
    }
    this.#fallBack(reason);
  }

  #fallBack(reason: string): void {
    if (this.#cpu) return;
    this.#cpu = this.#options.cpuFallback();
    this.#options.logger?.error(
      { reason, recoveries: this.#recoveries },
      "WebGPU unavailable: pool physics falls back to the CPU worker pool",
    );
    this.#options.onFallback?.(reason);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const live = this.#live;
    this.#live = undefined;
    if (live) {
      live.engine.destroy();
      live.pool.device.destroy();
    }
    await this.#cpu?.close();
  }
}
