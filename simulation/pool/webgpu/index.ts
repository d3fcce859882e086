// Pool physics (WebGPU): the WGSL kernel (the .wgsl files beside this one) and its layout. The process reads the
// sources and drives the device: src/physics/webgpu-shader.ts and webgpu-engine.ts.

export {
  bufferSizes,
  DEFAULT_WORKGROUP_SIZE,
  deviceBytesFor,
  PARAM_ORDER,
  packKernelParams,
  SHADER_PARTS,
  shaderPrelude,
} from "./layout.ts";
