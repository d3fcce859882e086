import type { PhysicsObserver } from "../../src/metrics/physics-metrics.ts";

/** A PhysicsObserver that keeps what it was told, for assertions. */
export function recordingObserver() {
  const seen = {
    batches: [] as { backend: string; shots: number; seconds: number }[],
    backends: [] as string[],
    queued: [] as number[],
    lost: [] as string[],
    fallbacks: [] as string[],
  };
  const observer: PhysicsObserver = {
    batch: (backend, shots, seconds) => seen.batches.push({ backend, shots, seconds }),
    backend: (name) => seen.backends.push(name),
    queued: (n) => seen.queued.push(n),
    deviceLost: (reason) => seen.lost.push(reason),
    fallback: (reason) => seen.fallbacks.push(reason),
  };
  return { seen, observer };
}
