// Pool physics metrics on the process registry: batch sizes and durations by backend, the backend in use, shots
// waiting in the batcher, and device losses and CPU fallbacks.

import { Counter, Gauge, Histogram } from "prom-client";
import { registry } from "./metrics.ts";

export const physicsBatchSize = new Histogram({
  name: "tablestakes_physics_batch_shots",
  help: "Shots per physics batch, by backend",
  labelNames: ["backend"] as const,
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096],
  registers: [registry],
});

export const physicsBatchDuration = new Histogram({
  name: "tablestakes_physics_batch_duration_seconds",
  help: "Wall time to simulate one physics batch, by backend",
  labelNames: ["backend"] as const,
  buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
  registers: [registry],
});

export const physicsBackendInUse = new Gauge({
  name: "tablestakes_physics_backend",
  help: "1 for the physics backend serving batches (cpu or webgpu), 0 for the other",
  labelNames: ["backend"] as const,
  registers: [registry],
});

export const physicsShotsQueued = new Gauge({
  name: "tablestakes_physics_shots_queued",
  help: "Shots waiting in the physics batcher or being simulated",
  registers: [registry],
});

export const physicsDeviceEvents = new Counter({
  name: "tablestakes_physics_device_events_total",
  help: "WebGPU device losses and fallbacks to the CPU",
  labelNames: ["event"] as const,
  registers: [registry],
});
for (const event of ["lost", "fallback"]) physicsDeviceEvents.inc({ event }, 0);

/** What the shot batcher reports; the default writes the metrics above. */
export interface PhysicsObserver {
  batch(backend: string, shots: number, seconds: number): void;
  backend(name: string): void;
  queued(shots: number): void;
  deviceLost(reason: string): void;
  fallback(reason: string): void;
}

export const physicsMetrics: PhysicsObserver = {
  batch(backend, shots, seconds) {
    physicsBatchSize.observe({ backend }, shots);
    physicsBatchDuration.observe({ backend }, seconds);
  },
  backend(name) {
    for (const b of ["cpu", "webgpu"]) physicsBackendInUse.set({ backend: b }, b === name ? 1 : 0);
  },
  queued(shots) {
    physicsShotsQueued.set(shots);
  },
  deviceLost() {
    physicsDeviceEvents.inc({ event: "lost" });
  },
  fallback() {
    physicsDeviceEvents.inc({ event: "fallback" });
  },
};
