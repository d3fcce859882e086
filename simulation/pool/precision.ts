// One kernel, two precisions. Every stored value and every arithmetic result in the physics kernel is passed
// through `f`, which is Math.fround in float32 mode (what WGSL computes) and the identity in float64 mode.
// A binding that changes only between batches keeps each call site monomorphic within a run, so V8 inlines it.

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
