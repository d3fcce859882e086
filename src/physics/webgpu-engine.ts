// The WebGPU host of the pool engine: the same packed batch as the CPU (packShots), one invocation per shot
// running the WGSL event loop to rest in a single dispatch, results read back into the batch and unpacked by
// unpackResults, so both backends hand out the same ShotResult. The device is given by the caller (webgpu-backend.ts
// owns its lifecycle); this file only allocates buffers on it, pooled and reused, bounded by MAX_BATCH_SHOTS.

import { DEFAULT_BATCH_LIMITS } from "../../simulation/pool/ball-state.ts";
import { MAX_BISECTION_STEPS } from "../../simulation/pool/detect.ts";
import { BALLS_PER_TABLE } from "../../simulation/pool/equipment.ts";
import {
  MAX_BATCH_SHOTS,
  type PackedBatch,
  packShots,
  type ShotInput,
  type ShotResult,
  type SimulateOptions,
  unpackResults,
} from "../../simulation/pool/simulate-shots.ts";
import {
  BALL_FLOAT_FIELDS,
  bufferSizes,
  CONFIG_BYTES,
  DEFAULT_WORKGROUP_SIZE,
  packKernelParams,
  SHOT_INT_FIELDS,
} from "../../simulation/pool/webgpu/layout.ts";
import { poolShaderSource } from "./webgpu-shader.ts";

// GPUBufferUsage / GPUMapMode bits (WebGPU spec), spelled out so this module needs no runtime globals.
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_UNIFORM = 0x0040;
const USAGE_STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/** Batches whose whole event and keyframe capacity is at most this are read back in one round trip. */
const ONE_PASS_READBACK_BYTES = 1 << 20;

export interface WebGpuEngineOptions {
  /** Invocations per workgroup; default 64. */
  workgroup_size?: number;
}

interface BufferSet {
  capacity: number; // shots
  event_capacity: number;
  keyframe_capacity: number;
  config: GPUBuffer;
  params: GPUBuffer;
  ball_f: GPUBuffer;
  ball_i: GPUBuffer;
  shot_i: GPUBuffer;
  ev_i: GPUBuffer;
  ev_f: GPUBuffer;
  kf_i: GPUBuffer;
  kf_f: GPUBuffer;
  staging: GPUBuffer;
  bind_group: GPUBindGroup;
}

/** A cheap proxy for a shot's event count: balls on the table, then the cue ball's (or fastest ball's) speed. */
function expectedWork(shot: ShotInput): number {
  let speed = shot.strike?.speed_m_s ?? 0;
  for (const b of shot.balls) speed = Math.max(speed, Math.hypot(b.vx ?? 0, b.vy ?? 0));
  return shot.balls.length * 100 + speed;
}

export class WebGpuPoolEngine {
  readonly device: GPUDevice;
  /** Resolves once the pipeline is compiled (compiled off the event loop; minutes cold on a software adapter). */
  readonly ready: Promise<void>;
  #pipeline: GPUComputePipeline | undefined;
  readonly #workgroupSize: number;
  #buffers: BufferSet | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #destroyed = false;

  constructor(device: GPUDevice, options: WebGpuEngineOptions = {}) {
    this.device = device;
    this.#workgroupSize = options.workgroup_size ?? DEFAULT_WORKGROUP_SIZE;
    const module = device.createShaderModule({ label: "pool physics", code: poolShaderSource(this.#workgroupSize) });
    this.ready = device
      .createComputePipelineAsync({
        label: "pool physics",
        layout: "auto",
        compute: { module, entryPoint: "simulate_shots" },
      })
      .then((pipeline) => {
        this.#pipeline = pipeline;
      });
    this.ready.catch(() => undefined); // a failed compile is reported by the first run
  }

  /** Checks that the shader compiled; rejects with the compiler's messages if not. */
  async compilationErrors(): Promise<string[]> {
    const module = this.device.createShaderModule({ code: poolShaderSource(this.#workgroupSize) });
    const info = await module.getCompilationInfo();
    return info.messages.filter((m) => m.type === "error").map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
  }

  /** Simulates the shots on the device: same inputs, options and output format as simulateShots. */
  async simulate(shots: ShotInput[], options: SimulateOptions = {}): Promise<ShotResult[]> {
    if ((options.precision ?? "f32") !== "f32") throw new RangeError("the WebGPU backend computes in f32 only");
    if (options.trace_energy) throw new RangeError("trace_energy is a CPU-only diagnostic");
    // Shots of similar cost share SIMD groups: lanes of a group wait for its longest shot, so a batch that mixes
    // breaks with quiet shots is packed in order of expected work and put back in the caller's order afterwards.
    // Shots are independent, so the order never changes a result.
    // A batch larger than the device's buffers can bind for these capacities runs as several dispatches.
    if (shots.length > MAX_BATCH_SHOTS) throw new RangeError(`at most ${MAX_BATCH_SHOTS} shots per batch`);
    const order = shots.map((_, i) => i).sort((a, b) => expectedWork(shots[a]) - expectedWork(shots[b]) || a - b);
    const limits = { ...DEFAULT_BATCH_LIMITS, ...options.limits };
    const perDispatch = this.shotsPerDispatch(limits.event_capacity, limits.keyframe_capacity);
    const sorted: ShotResult[] = [];
    for (let start = 0; start === 0 || start < shots.length; start += perDispatch) {
      const packed = packShots(
        order.slice(start, start + perDispatch).map((i) => shots[i]),
        options,
      );
      if (packed.batch.shot_count > 0) await this.run(packed);
      sorted.push(...unpackResults(packed));
    }
    const results = new Array<ShotResult>(shots.length);
    for (const [j, i] of order.entries()) results[i] = sorted[j];
    return results;
  }

  /**
   * Most shots one dispatch holds with these event and keyframe capacities: a power of two, at most MAX_BATCH_SHOTS,
   * and small enough that every buffer fits the device's binding and buffer size limits.
   */
  shotsPerDispatch(eventCapacity: number, keyframeCapacity: number): number {
    const { maxStorageBufferBindingSize, maxBufferSize } = this.device.limits;
    const fits = (shots: number) => {
      const s = bufferSizes(shots, eventCapacity, keyframeCapacity);
      const largest = Math.max(s.ball_f, s.ball_i, s.shot_i, s.ev_i, s.ev_f, s.kf_i, s.kf_f);
      return largest <= maxStorageBufferBindingSize && Math.max(largest, s.staging) <= maxBufferSize;
    };
    let shots = MAX_BATCH_SHOTS;
    while (shots > 1 && !fits(shots)) shots >>= 1;
    return shots;
  }

  /** Runs a packed batch; batches run one after another on the engine's pooled buffers. */
  run(packed: PackedBatch): Promise<void> {
    const next = this.#queue.then(() => this.#run(packed));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Shots the pooled buffers hold now (0 before the first batch): a power of two, at most MAX_BATCH_SHOTS. */
  get bufferCapacity(): number {
    return this.#buffers?.capacity ?? 0;
  }

  /** Frees the pooled buffers (the device itself belongs to the caller). */
  destroy(): void {
    this.#destroyed = true;
    this.#freeBuffers();
  }

  #freeBuffers(): void {
    const b = this.#buffers;
    this.#buffers = undefined;
    if (!b) return;
    for (const buffer of [b.config, b.params, b.ball_f, b.ball_i, b.shot_i, b.ev_i, b.ev_f, b.kf_i, b.kf_f, b.staging])
      buffer.destroy();
  }

  // Buffers for at least `shots` shots with these capacities: reused while they fit, else replaced by the next
  // power of two (never above MAX_BATCH_SHOTS), so the pool holds one set of bounded size.
  #buffersFor(pipeline: GPUComputePipeline, shots: number, eventCap: number, keyframeCap: number): BufferSet {
    const current = this.#buffers;
    if (
      current &&
      current.capacity >= shots &&
      current.event_capacity === eventCap &&
      current.keyframe_capacity === keyframeCap
    )
      return current;
    this.#freeBuffers();
    const sameCaps = current?.event_capacity === eventCap && current?.keyframe_capacity === keyframeCap;
    let capacity = Math.max(shots, sameCaps ? (current?.capacity ?? 1) : 1);
    capacity = Math.min(MAX_BATCH_SHOTS, 2 ** Math.ceil(Math.log2(capacity)));
    if (capacity < shots) throw new RangeError(`at most ${MAX_BATCH_SHOTS} shots per batch`);
    const sizes = bufferSizes(capacity, eventCap, keyframeCap);
    const storage = (label: string, size: number) =>
      this.device.createBuffer({ label, size, usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST });
    const set = {
      capacity,
      event_capacity: eventCap,
      keyframe_capacity: keyframeCap,
      config: this.device.createBuffer({ label: "config", size: CONFIG_BYTES, usage: USAGE_UNIFORM | USAGE_COPY_DST }),
      params: storage("params", 4 * 1024),
      ball_f: storage("ball_f", sizes.ball_f),
      ball_i: storage("ball_i", sizes.ball_i),
      shot_i: storage("shot_i", sizes.shot_i),
      ev_i: storage("ev_i", sizes.ev_i),
      ev_f: storage("ev_f", sizes.ev_f),
      kf_i: storage("kf_i", sizes.kf_i),
      kf_f: storage("kf_f", sizes.kf_f),
      staging: this.device.createBuffer({
        label: "staging",
        size: sizes.staging,
        usage: USAGE_MAP_READ | USAGE_COPY_DST,
      }),
    };
    const order = ["config", "params", "ball_f", "ball_i", "shot_i", "ev_i", "ev_f", "kf_i", "kf_f"] as const;
    const bind_group = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: order.map((name, binding) => ({ binding, resource: { buffer: set[name] } })),
    });
    this.#buffers = { ...set, bind_group };
    return this.#buffers;
  }

  // Copies the first `eventRows` event rows and `keyframeRows` keyframe rows of every field into the staging buffer
  // from byte `base`, one contiguous range per field; returns where each landed.
  #copyRows(
    encoder: GPUCommandEncoder,
    set: BufferSet,
    N: number,
    eventRows: number,
    keyframeRows: number,
    base: number,
  ) {
    const E = N * set.event_capacity;
    const K = N * set.keyframe_capacity;
    const ev = eventRows * N;
    const kf = keyframeRows * N;
    const ranges: [GPUBuffer, number, number][] = [
      [set.ev_i, 0, ev], // type
      [set.ev_i, E, ev], // a
      [set.ev_i, 2 * E, ev], // b
      [set.ev_f, 0, ev], // time
      [set.kf_i, 0, kf], // ball
      [set.kf_i, K, kf], // state
      [set.kf_f, 0, kf], // time
      [set.kf_f, K, kf * 7], // data
    ];
    const offsets: number[] = [];
    const counts: number[] = [];
    let at = base;
    for (const [buffer, first, count] of ranges) {
      offsets.push(at);
      counts.push(count);
      if (count > 0) encoder.copyBufferToBuffer(buffer, 4 * first, set.staging, at, 4 * count);
      at += 4 * count;
    }
    return { offsets, counts, bytes: at - base };
  }

  async #run(packed: PackedBatch): Promise<void> {
    await this.ready;
    const pipeline = this.#pipeline;
    if (this.#destroyed || !pipeline) throw new Error("the WebGPU pool engine is destroyed");
    const b = packed.batch;
    if (b.precision !== "f32") throw new RangeError("the WebGPU backend computes in f32 only");
    const N = b.shot_count;
    const { event_capacity: eventCap, keyframe_capacity: kfCap, max_steps, max_time_s } = b.limits;
    const set = this.#buffersFor(pipeline, N, eventCap, kfCap);
    const device = this.device;
    const queue = device.queue;
    const nb = N * BALLS_PER_TABLE;

    const config = new ArrayBuffer(CONFIG_BYTES);
    const configU = new Uint32Array(config);
    configU[0] = N;
    configU[1] = eventCap;
    configU[2] = kfCap;
    configU[3] = max_steps;
    configU[4] = packed.record_transitions ? 1 : 0;
    configU[6] = BALLS_PER_TABLE;
    configU[7] = MAX_BISECTION_STEPS;
    new Float32Array(config)[5] = max_time_s;
    queue.writeBuffer(set.config, 0, config);
    queue.writeBuffer(set.params, 0, packKernelParams(packed.params, packed.tables));
    const ballF = new Float32Array(BALL_FLOAT_FIELDS * nb + N);
    [b.px, b.py, b.vx, b.vy, b.wx, b.wy, b.wz].forEach((field, i) => {
      ballF.set(field, i * nb);
    });
    queue.writeBuffer(set.ball_f, 0, ballF);
    const ballI = new Int32Array(2 * nb);
    ballI.set(b.state, 0);
    ballI.set(b.pocket, nb);
    queue.writeBuffer(set.ball_i, 0, ballI);
    queue.writeBuffer(set.shot_i, 0, b.table);

    // Pass 1: simulate, then read back the final tables and the per-shot counts. A small batch reads back every
    // event and keyframe row in the same pass (one round trip); a large one reads the counts first, then only the
    // rows some shot used.
    const ballFBytes = 4 * (BALL_FLOAT_FIELDS * nb + N);
    const ballIBytes = 4 * 2 * nb;
    const shotIBytes = 4 * SHOT_INT_FIELDS * N;
    const firstBytes = ballFBytes + ballIBytes + shotIBytes;
    const onePass = 4 * N * (4 * eventCap + 10 * kfCap) <= ONE_PASS_READBACK_BYTES;
    let encoder = device.createCommandEncoder({ label: "pool physics" });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, set.bind_group);
    pass.dispatchWorkgroups(Math.ceil(N / this.#workgroupSize));
    pass.end();
    encoder.copyBufferToBuffer(set.ball_f, 0, set.staging, 0, ballFBytes);
    encoder.copyBufferToBuffer(set.ball_i, 0, set.staging, ballFBytes, ballIBytes);
    encoder.copyBufferToBuffer(set.shot_i, 0, set.staging, ballFBytes + ballIBytes, shotIBytes);
    let rows = onePass ? this.#copyRows(encoder, set, N, eventCap, kfCap, firstBytes) : undefined;
    queue.submit([encoder.finish()]);
    await set.staging.mapAsync(MAP_MODE_READ, 0, firstBytes + (rows?.bytes ?? 0));
    let maxEvents = 0;
    let maxKeyframes = 0;
    let mapped = set.staging.getMappedRange(0, firstBytes + (rows?.bytes ?? 0));
    {
      const f = new Float32Array(mapped, 0, BALL_FLOAT_FIELDS * nb + N);
      [b.px, b.py, b.vx, b.vy, b.wx, b.wy, b.wz].forEach((field, i) => {
        field.set(f.subarray(i * nb, (i + 1) * nb));
      });
      b.time_s.set(f.subarray(BALL_FLOAT_FIELDS * nb, BALL_FLOAT_FIELDS * nb + N));
      const bi = new Int32Array(mapped, ballFBytes, 2 * nb);
      b.state.set(bi.subarray(0, nb));
      b.pocket.set(bi.subarray(nb, 2 * nb));
      const si = new Int32Array(mapped, ballFBytes + ballIBytes, SHOT_INT_FIELDS * N);
      b.steps.set(si.subarray(N, 2 * N));
      b.event_count.set(si.subarray(2 * N, 3 * N));
      b.keyframe_count.set(si.subarray(3 * N, 4 * N));
      b.flags.set(si.subarray(4 * N, 5 * N));
      for (let s = 0; s < N; s++) {
        if (b.event_count[s] > maxEvents) maxEvents = b.event_count[s];
        if (b.keyframe_count[s] > maxKeyframes) maxKeyframes = b.keyframe_count[s];
      }
    }

    // Pass 2 (large batches): only the event and keyframe rows some shot used (row n holds entry n of every shot).
    if (!rows) {
      set.staging.unmap();
      encoder = device.createCommandEncoder({ label: "pool physics read-back" });
      rows = this.#copyRows(encoder, set, N, maxEvents, maxKeyframes, 0);
      if (rows.bytes === 0) return;
      queue.submit([encoder.finish()]);
      await set.staging.mapAsync(MAP_MODE_READ, 0, rows.bytes);
      mapped = set.staging.getMappedRange(0, rows.bytes);
    }
    const { offsets, counts } = rows;
    const ints = (r: number) => new Int32Array(mapped, offsets[r], counts[r]);
    const floats = (r: number) => new Float32Array(mapped, offsets[r], counts[r]);
    const evType = ints(0);
    const evA = ints(1);
    const evB = ints(2);
    const evTime = floats(3);
    const kfBall = ints(4);
    const kfState = ints(5);
    const kfTime = floats(6);
    const kfData = floats(7);
    for (let s = 0; s < N; s++) {
      for (let n = 0; n < b.event_count[s]; n++) {
        const from = n * N + s;
        const to = s * eventCap + n;
        b.ev_type[to] = evType[from];
        b.ev_a[to] = evA[from];
        b.ev_b[to] = evB[from];
        b.ev_time[to] = evTime[from];
      }
      for (let n = 0; n < b.keyframe_count[s]; n++) {
        const from = n * N + s;
        const to = s * kfCap + n;
        b.kf_ball[to] = kfBall[from];
        b.kf_state[to] = kfState[from];
        b.kf_time[to] = kfTime[from];
        b.kf_data.set(kfData.subarray(from * 7, from * 7 + 7), to * 7);
      }
    }
    set.staging.unmap();
  }
}
