// Pool physics (WebGPU): the WGSL backend of the engine; the caller supplies the GPUDevice.

export { deviceBytesFor, type WebGpuEngineOptions, WebGpuPoolEngine } from "./engine.ts";
export { DEFAULT_WORKGROUP_SIZE, packKernelParams, poolShaderSource } from "./shader.ts";
