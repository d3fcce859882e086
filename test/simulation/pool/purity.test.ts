// The pool engine is pure: no file under simulation/pool reaches a file, a device, a thread, the clock or a source
// of randomness. Every import is checked (nothing from node:, no I/O or GPU package, nothing outside simulation/),
// and so is every use of the globals that would do it behind an import's back.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const POOL = join(ROOT, "simulation/pool");
const SIMULATION = join(ROOT, "simulation");

const FORBIDDEN_PACKAGES =
  /^(fs|path|os|crypto|child_process|worker_threads|net|http|https|dgram|webgpu|pg|ioredis)(\/|$)/;
const FORBIDDEN_GLOBALS =
  /\b(Date\.now|new Date\(|performance\.now|Math\.random|setTimeout|setInterval|process\.|fetch\(|require\(|crypto\.|navigator\.gpu)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

describe("simulation/pool is pure", () => {
  const files = sources(POOL);

  it("has files to check, the kernel and its WebGPU layout among them", () => {
    const names = files.map((f) => relative(POOL, f));
    expect(names).toEqual(expect.arrayContaining(["kernel.ts", "detect.ts", "webgpu/layout.ts"]));
  });

  it("imports nothing that does I/O and nothing from outside simulation/", () => {
    const problems: string[] = [];
    for (const file of files) {
      const code = withoutComments(readFileSync(file, "utf8"));
      for (const [, specifier] of code.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g)) {
        if (!specifier) continue;
        const name = relative(ROOT, file);
        if (specifier.startsWith("node:") || FORBIDDEN_PACKAGES.test(specifier)) problems.push(`${name}: ${specifier}`);
        else if (specifier.startsWith(".") && !resolve(dirname(file), specifier).startsWith(SIMULATION))
          problems.push(`${name}: ${specifier} is outside simulation/`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("reads no clock, no randomness, no process and no device", () => {
    const problems: string[] = [];
    for (const file of files) {
      const code = withoutComments(readFileSync(file, "utf8"));
      for (const [line, text] of code.split("\n").entries()) {
        const hit = FORBIDDEN_GLOBALS.exec(text);
        if (hit) problems.push(`${relative(ROOT, file)}:${line + 1}: ${hit[0]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
