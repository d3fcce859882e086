// A worker_threads pool that runs batches of pool shots off the main thread. A batch is split into contiguous
// chunks, one per idle worker, and the results are put back in order; shots are independent, so the split never
// changes a result. The queue of chunks waiting for a worker is bounded: past it, simulateShots rejects at once.
// Each worker computes in one precision only: float64 batches go to workers of their own, started on first use,
// because a thread that has run the kernel in both precisions runs float32 several times slower from then on
// (simulation/pool/precision.ts says why).

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Precision } from "../../simulation/pool/precision.ts";
import type { ShotInput, ShotResult, SimulateOptions } from "../../simulation/pool/simulate-shots.ts";
import { MAX_BATCH_SHOTS } from "../../simulation/pool/simulate-shots.ts";
import type { WorkerReply, WorkerRequest } from "./cpu-worker-protocol.ts";

export interface CpuWorkerPoolOptions {
  /** Worker threads per precision (float64 ones start on first use); default: available cores − 1, at least 1. */
  workers?: number;
  /** Chunks that may wait for a worker; default 1024. */
  max_queued_chunks?: number;
  /** Largest chunk one worker takes at a time; default 256 shots. */
  max_chunk_shots?: number;
}

export const MAX_POOL_WORKERS = 64;

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Chunk {
  precision: Precision;
  shots: ShotInput[];
  options: SimulateOptions;
  resolve: (results: ShotResult[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  precision: Precision;
  worker: Worker;
  chunk: Chunk | null;
  id: number;
}

export class PoolClosedError extends Error {
  override name = "PoolClosedError";
}

export class PoolQueueFullError extends Error {
  override name = "PoolQueueFullError";
}

const WORKER_URL = new URL("./cpu-worker.ts", import.meta.url);

export class CpuWorkerPool {
  readonly size: number;
  private readonly maxQueued: number;
  private readonly maxChunk: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Chunk[] = [];
  private nextId = 1;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: CpuWorkerPoolOptions = {}) {
    const size = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(size) || size < 1 || size > MAX_POOL_WORKERS) {
      throw new RangeError(`workers must be an integer in 1–${MAX_POOL_WORKERS}`);
    }
    this.size = size;
    this.maxQueued = options.max_queued_chunks ?? 1024;
    this.maxChunk = options.max_chunk_shots ?? 256;
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 1) throw new RangeError("max_queued_chunks must be ≥ 1");
    if (!Number.isInteger(this.maxChunk) || this.maxChunk < 1) throw new RangeError("max_chunk_shots must be ≥ 1");
    for (let i = 0; i < size; i++) this.slots.push(this.spawn("f32"));
  }

  /** Worker threads running batches of this precision (float64 ones start with the first float64 batch). */
  threads(precision: Precision): number {
    return this.slots.filter((slot) => slot.precision === precision).length;
  }

  /** Chunks waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Simulates the shots across the workers; same results, in the same order, as simulateShots. */
  simulateShots(shots: ShotInput[], options: SimulateOptions = {}): Promise<ShotResult[]> {
    if (this.closing) return Promise.reject(new PoolClosedError("the physics pool is closed"));
    if (shots.length > MAX_BATCH_SHOTS)
      return Promise.reject(new RangeError(`at most ${MAX_BATCH_SHOTS} shots per batch`));
    if (shots.length === 0) return Promise.resolve([]);
    const chunkSize = Math.min(this.maxChunk, Math.ceil(shots.length / this.size));
    const chunkCount = Math.ceil(shots.length / chunkSize);
    if (this.queue.length + chunkCount > this.maxQueued) {
      return Promise.reject(new PoolQueueFullError(`physics queue full (${this.queue.length} chunks waiting)`));
    }
    // An unknown precision goes to a float32 worker, whose engine refuses it.
    const precision: Precision = options.precision === "f64" ? "f64" : "f32";
    if (!this.slots.some((slot) => slot.precision === precision)) {
      for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(precision));
    }
    const parts: Promise<ShotResult[]>[] = [];
    for (let start = 0; start < shots.length; start += chunkSize) {
      const part = shots.slice(start, start + chunkSize);
      parts.push(
        new Promise<ShotResult[]>((resolve, reject) =>
          this.queue.push({ precision, shots: part, options, resolve, reject }),
        ),
      );
    }
    this.dispatch();
    return Promise.all(parts).then((chunks) => chunks.flat());
  }

  /** Takes no more work, finishes what was accepted, then stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.queue.length > 0 || this.slots.some((s) => s.chunk !== null)) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private spawn(precision: Precision): Slot {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { precision, worker, chunk: null, id: 0 };
    worker.on("message", (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on("error", (err) => this.onWorkerLost(slot, err));
    worker.on("exit", (code) => {
      if (!this.closing || slot.chunk) this.onWorkerLost(slot, new Error(`physics worker exited with code ${code}`));
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.chunk) continue;
      const next = this.queue.findIndex((chunk) => chunk.precision === slot.precision);
      if (next < 0) continue;
      const [chunk] = this.queue.splice(next, 1);
      slot.chunk = chunk;
      slot.id = this.nextId++;
      const request: WorkerRequest = { id: slot.id, shots: chunk.shots, options: chunk.options };
      slot.worker.postMessage(request);
    }
    if (this.queue.length === 0 && this.slots.every((s) => s.chunk === null)) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const chunk = slot.chunk;
    if (!chunk || reply.id !== slot.id) return;
    slot.chunk = null;
    if (reply.ok) chunk.resolve(reply.results);
    else
      chunk.reject(
        reply.error.name === "RangeError" ? new RangeError(reply.error.message) : new Error(reply.error.message),
      );
    this.dispatch();
  }

  // A worker that crashed fails its chunk and is replaced, so one bad batch never shrinks the pool.
  private onWorkerLost(slot: Slot, err: Error): void {
    const chunk = slot.chunk;
    slot.chunk = null;
    if (chunk) chunk.reject(err);
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    if (this.closing) {
      this.dispatch();
      return;
    }
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.slots[index] = this.spawn(slot.precision);
    this.dispatch();
  }
}
