// The WGSL program of the pool engine: its parts, read once from simulation/pool/webgpu/ in the order the layout
// names, behind the prelude of constants taken from the TypeScript.

import { readFileSync } from "node:fs";
import { DEFAULT_WORKGROUP_SIZE, SHADER_PARTS, shaderPrelude } from "../../simulation/pool/webgpu/layout.ts";

const SHADER_DIR = new URL("../../simulation/pool/webgpu/", import.meta.url);

let sources: string[] | undefined;

/** The whole WGSL program for one workgroup size. */
export function poolShaderSource(workgroupSize = DEFAULT_WORKGROUP_SIZE): string {
  const prelude = shaderPrelude(workgroupSize);
  sources ??= SHADER_PARTS.map((part) => readFileSync(new URL(part, SHADER_DIR), "utf8"));
  return [prelude, ...sources].join("\n\n");
}
