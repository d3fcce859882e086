// One kernel, two precisions. Every stored value and every arithmetic result in the physics kernel is passed
// through `f`, which is Math.fround in float32 mode (what WGSL computes) and the identity in float64 mode.
//
// Keep one precision per thread where speed matters. While `f` has only ever been Math.fround, V8 treats the
// binding as a constant and inlines the rounding into every call site of the kernel; the first switch to the
// identity marks the binding mutable for good, and from then on every `f(...)` is a call through a variable, in both
// precisions: a break goes from about 1 ms to 7 ms of CPU (measured: npm run bench:physics, "precision"). So the
// CPU worker pool runs float64 batches on workers of their own (src/physics/cpu-worker-pool.ts), and the float32
// workers never switch; a thread that mixes the two (a test) is correct, only slower.

export type Precision = "f32" | "f64";

const identity = (x: number): number => x;

/** Round to the engine's working precision. Live binding: kernel modules always see the current mode. */
export let f: (x: number) => number = Math.fround;

export function setPrecision(precision: Precision): void {
  f = precision === "f32" ? Math.fround : identity;
}

export type FloatArray = Float32Array | Float64Array;

export function allocFloats(precision: Precision, length: number): FloatArray {
  return precision === "f32" ? new Float32Array(length) : new Float64Array(length);
}

/** "No event" time; WGSL has no portable Infinity literal, so both backends use this sentinel. */
export const NO_EVENT_S = 1e30;
