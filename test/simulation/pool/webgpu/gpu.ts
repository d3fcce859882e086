// A WebGPU device for the tests. CI installs Mesa's lavapipe, so there an adapter must exist and a missing one fails
// the run; on a developer machine with no adapter at all the WebGPU suites skip, and say so.

import { type PoolDevice, requestPoolDevice } from "../../../../src/physics/webgpu-device.ts";

const device: PoolDevice | null = await requestPoolDevice();
if (!device) {
  if (process.env.CI === "true")
    throw new Error("CI=true but no WebGPU adapter: install Mesa's lavapipe (mesa-vulkan-drivers)");
  console.warn("\n*** No WebGPU adapter on this machine: the WebGPU tests are SKIPPED (they run in CI). ***\n");
}

/** The process's test device, or null (tests skip) where no adapter exists outside CI. */
export const testDevice = device;
export const noAdapter = device === null;

// The first pipeline compile on lavapipe takes tens of seconds (Mesa then caches it on disk).
export const COMPILE_TIMEOUT_MS = 300_000;
