// The process's WebGPU device: Dawn's Node bindings (the `webgpu` package) loaded on first use, one GPU instance
// per process, adapters and devices requested with the limits the pool engine needs. Loss is reported through
// the device's `lost` promise; recovery (a new device, or the CPU) is the backend's business.

import type { Logger } from "../logging.ts";

let gpuInstance: GPU | null | undefined;

/** The process's GPU object, or null where the native bindings cannot load. */
export async function processGpu(): Promise<GPU | null> {
  if (gpuInstance !== undefined) return gpuInstance;
  try {
    const { create, globals } = await import("webgpu");
    Object.assign(globalThis, globals);
    gpuInstance = create([]);
  } catch {
    gpuInstance = null;
  }
  return gpuInstance;
}

export async function requestPoolAdapter(): Promise<GPUAdapter | null> {
  const gpu = await processGpu();
  if (!gpu) return null;
  try {
    return await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch {
    return null;
  }
}

export interface PoolDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
  /** Adapter description for logs and benchmarks: vendor, architecture, device, description. */
  description: string;
}

export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return parts.length > 0 ? parts.join(" / ") : "unknown adapter";
}

// Adapters that run on the CPU: Mesa's lavapipe (llvmpipe), SwiftShader, Microsoft's WARP / Basic Render Driver.
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|\bwarp\b|basic render|software/i;

/**
 * Why this adapter is a software one (it renders on the CPU, so the CPU worker pool beats it and its cold shader
 * compile takes tens of seconds), or null for a hardware adapter.
 */
export function softwareAdapterReason(adapter: GPUAdapter): string | null {
  const description = describeAdapter(adapter);
  if (adapter.info.isFallbackAdapter) return `the adapter is a fallback (software) adapter: ${description}`;
  if (SOFTWARE_ADAPTER.test(description)) return `the adapter renders in software: ${description}`;
  return null;
}

/**
 * A device with the buffer limits a full batch needs (up to what the adapter allows), or null with no adapter.
 * Uncaptured errors are logged: a validation error in the physics pipeline is a bug, not a silent wrong result.
 */
export async function requestPoolDevice(logger?: Logger): Promise<PoolDevice | null> {
  const adapter = await requestPoolAdapter();
  if (!adapter) return null;
  const device = await adapter.requestDevice({
    label: "pool physics",
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  device.addEventListener("uncapturederror", (event) => {
    logger?.error({ err: (event as GPUUncapturedErrorEvent).error.message }, "WebGPU error in pool physics");
  });
  return { adapter, device, description: describeAdapter(adapter) };
}
