import {
  DEFAULT_PHYSICS_PARAMS,
  type ShotInput,
  type ShotResult,
  validateShotInput,
} from "../../simulation/pool/index.ts";
import type { PhysicsBackendChoice } from "../config.ts";
import type { Logger } from "../logging.ts";
import { type PhysicsObserver, physicsMetrics } from "../metrics/physics-metrics.ts";
import { CpuPoolBackend, type PhysicsBackend } from "./backend.ts";

export { CpuPoolBackend, type PhysicsBackend } from "./backend.ts";

/** A shot's result with the backend that computed it: the same inputs on the same backend give the same result. */
export type SimulatedShot = ShotResult & { backend: PhysicsBackend["name"] };

const CLOSE_WAIT_MS = 10_000;

export class PhysicsQueueFullError extends Error {
  constructor(limit: number) {
    super(`the physics queue is full (${limit} shots waiting): try again in a moment`);
    this.name = "PhysicsQueueFullError";
  }
}

export interface ShotBatcherOptions {
  /** How long the first shot of a batch waits for others to join it. */
  windowMs: number;
  /** A batch this large is dispatched at once, without waiting for the window. */
  maxBatch: number;
  /** Shots that may wait at once; more are refused rather than queued without bound. */
  maxQueued: number;
  /** Where batch sizes, durations, the backend in use and the queue length go; default: the /metrics registry. */
  observer: PhysicsObserver;
}

export const DEFAULT_BATCHER_OPTIONS: ShotBatcherOptions = {
  windowMs: 2,
  maxBatch: 1024,
  maxQueued: 16_384,
  observer: physicsMetrics,
};

interface PendingShot {
  shot: ShotInput;
  resolve: (result: SimulatedShot) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the shots that rooms and bots submit over a short window (or until a batch is full) and simulates them in
 * one call to the backend, so many tables share one dispatch and physics never runs on the event loop.
 */
export class ShotBatcher {
  readonly #backend: PhysicsBackend;
  readonly #options: ShotBatcherOptions;
  #pending: PendingShot[] = [];
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(backend: PhysicsBackend, options: Partial<ShotBatcherOptions> = {}) {
    this.#backend = backend;
    this.#options = { ...DEFAULT_BATCHER_OPTIONS, ...options };
    this.#options.observer.backend(backend.name);
  }

  get backend(): string {
    return this.#backend.name;
  }

  /** Shots waiting for a dispatch plus those being simulated. */
  get queued(): number {
    return this.#pending.length + this.#inFlight;
  }

  /**
   * Resolves with the shot's result and the backend that computed it (replays re-simulate on that backend); a
   * malformed shot is refused at once (RangeError) and never joins a batch.
   */
  submit(shot: ShotInput): Promise<SimulatedShot> {
    if (this.#closed) return Promise.reject(new Error("the shot batcher is closed"));
    try {
      validateShotInput(shot, DEFAULT_PHYSICS_PARAMS);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.queued >= this.#options.maxQueued)
      return Promise.reject(new PhysicsQueueFullError(this.#options.maxQueued));
    return new Promise<SimulatedShot>((resolve, reject) => {
      this.#pending.push({ shot, resolve, reject });
      this.#options.observer.queued(this.queued);
      if (this.#pending.length >= this.#options.maxBatch) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.#options.windowMs);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#options.maxBatch);
      this.#inFlight += batch.length;
      const started = performance.now();
      this.#backend
        .simulate(batch.map((entry) => entry.shot))
        .then(
          (results) => {
            // The backend's name after the batch: a WebGPU backend that fell back to the CPU says "cpu".
            const observer = this.#options.observer;
            observer.batch(this.#backend.name, batch.length, (performance.now() - started) / 1000);
            observer.backend(this.#backend.name);
            const backend = this.#backend.name;
            for (const [i, entry] of batch.entries()) entry.resolve({ ...results[i]!, backend });
          },
          (error: unknown) => {
            for (const entry of batch) entry.reject(error);
          },
        )
        .finally(() => {
          this.#inFlight -= batch.length;
          this.#options.observer.queued(this.queued);
        });
    }
  }

  /** Simulates what is already queued, then releases the backend. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#flush();
    // Bounded: a backend whose batch never comes back must not hold up the process's shutdown.
    const until = Date.now() + CLOSE_WAIT_MS;
    while (this.#inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.#backend.close();
  }
}

export interface SelectBackendOptions {
  logger?: Logger;
  /** Builds the CPU backend (for `cpu`, for `auto` without an adapter, and as the WebGPU fallback). */
  cpu?: () => PhysicsBackend;
  observer?: PhysicsObserver;
}

/**
 * PHYSICS_BACKEND: `cpu` is the worker pool; `webgpu` insists on a device, software adapters included (tests ask for
 * lavapipe so); `auto` takes WebGPU only on a hardware adapter, else the CPU. The choice and its reason are logged.
 * The WebGPU code (and Dawn's native module) is loaded only when a GPU backend is asked for.
 */
export async function selectPhysicsBackend(
  choice: PhysicsBackendChoice,
  options: SelectBackendOptions = {},
): Promise<PhysicsBackend> {
  const cpu = options.cpu ?? (() => new CpuPoolBackend());
  const logger = options.logger;
  const observer = options.observer ?? physicsMetrics;
  if (choice === "cpu") {
    logger?.info({ choice, reason: "PHYSICS_BACKEND=cpu" }, "pool physics on the CPU worker pool");
    return cpu();
  }
  const device = await import("./webgpu-device.ts");
  if (choice === "auto") {
    const adapter = await device.requestPoolAdapter();
    const reason = adapter
      ? device.softwareAdapterReason(adapter)
      : "no WebGPU adapter on this machine (or Dawn could not load)";
    if (reason) {
      logger?.info(
        { choice, reason },
        "pool physics on the CPU worker pool: PHYSICS_BACKEND=auto uses WebGPU only on a hardware adapter (PHYSICS_BACKEND=webgpu takes a software one)",
      );
      return cpu();
    }
  }
  const { WebGpuBackend } = await import("./webgpu-backend.ts");
  let gpu: Awaited<ReturnType<typeof WebGpuBackend.create>> = null;
  let failure: unknown;
  try {
    gpu = await WebGpuBackend.create({
      logger,
      cpuFallback: cpu,
      onDeviceLost: (reason) => observer.deviceLost(reason),
      onFallback: (reason) => {
        observer.fallback(reason);
        observer.backend("cpu");
      },
    });
  } catch (error) {
    failure = error;
  }
  if (gpu) {
    logger?.info({ choice, adapter: gpu.adapter }, "pool physics on WebGPU");
    return gpu;
  }
  if (choice === "webgpu") {
    throw new Error(`PHYSICS_BACKEND=webgpu but no WebGPU device could be created${failure ? `: ${failure}` : ""}`);
  }
  logger?.warn(
    { choice, reason: "the hardware adapter gave no device", err: failure },
    "pool physics on the CPU worker pool",
  );
  return cpu();
}
