import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["src", "rooms", "simulation", "protocol", "matchmaker", "loadtest", "client", "examples"];

function sourceFiles(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(absolute, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

/** Every module a file names: static imports and re-exports (type-only included) and dynamic imports. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gs, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  for (const match of text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.push(match[1]!);
  return found;
}

/** Comments say what code may not do ("no Date.now here"); only the code is checked. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const texts = new Map(files.map((file) => [file, readFileSync(path.join(ROOT, file), "utf8")]));
const graph = new Map<string, string[]>();
for (const [file, text] of texts) {
  const local = importsOf(text)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => path.normalize(path.join(path.dirname(file), specifier)))
    .filter((target) => texts.has(target));
  graph.set(file, local);
}

const topFolder = (file: string) => file.split(path.sep)[0]!;

describe("the layers import only downwards", () => {
  it("walks a real tree", () => {
    expect(files.filter((file) => file.startsWith(`simulation${path.sep}`)).length).toBeGreaterThan(20);
    expect(files.filter((file) => file.startsWith(`rooms${path.sep}`)).length).toBeGreaterThan(5);
  });

  it("nothing under simulation/ touches a file, a device, the clock, randomness or the server", () => {
    const forbiddenModules = [
      /^(node:)?(fs|fs\/promises|os|net|http|https|child_process|worker_threads|dgram|cluster|perf_hooks)$/,
      /^webgpu$/,
      /^@colyseus\//,
      /^(pg|ioredis|pino|express|drizzle-orm)/,
    ];
    const forbiddenCode: [RegExp, string][] = [
      [/\brandomBytes\b|\brandomInt\b|\brandomUUID\b|\bgetRandomValues\b/, "randomness"],
      [/\bMath\.random\s*\(/, "randomness"],
      [/\bDate\.now\s*\(|\bnew Date\s*\(|\bperformance\.now\s*\(/, "the clock"],
      [/\bnavigator\.gpu\b|\brequestAdapter\s*\(|\brequestDevice\s*\(/, "a device"],
      [/\breadFileSync\b|\breadFile\s*\(|\bprocess\.env\b/, "files or the environment"],
      [/\bsetTimeout\s*\(|\bsetInterval\s*\(/, "timers"],
    ];
    const problems: string[] = [];
    for (const [file, text] of texts) {
      if (topFolder(file) !== "simulation") continue;
      for (const specifier of importsOf(text)) {
        if (forbiddenModules.some((pattern) => pattern.test(specifier))) problems.push(`${file} imports ${specifier}`);
        if (specifier.startsWith(".")) {
          const target = path.normalize(path.join(path.dirname(file), specifier));
          if (topFolder(target) !== "simulation") problems.push(`${file} imports ${target}`);
        }
      }
      const code = withoutComments(text);
      for (const [pattern, what] of forbiddenCode) if (pattern.test(code)) problems.push(`${file} uses ${what}`);
    }
    expect(problems).toEqual([]);
  });

  it("no file under src/ but the composition root (src/server.ts) imports rooms/", () => {
    const offenders = [...graph]
      .filter(([file]) => topFolder(file) === "src" && file !== path.join("src", "server.ts"))
      .flatMap(([file, targets]) => targets.filter((t) => topFolder(t) === "rooms").map((t) => `${file} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it("protocol/ imports nothing but zod and itself, so any client can import it", () => {
    const offenders: string[] = [];
    for (const [file, text] of texts) {
      if (topFolder(file) !== "protocol") continue;
      for (const specifier of importsOf(text)) {
        const local = specifier.startsWith(".") && topFolder(path.normalize(path.join(path.dirname(file), specifier)));
        if (specifier !== "zod" && local !== "protocol") offenders.push(`${file} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("there are no import cycles (type-only imports included)", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, "visiting");
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" -> "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
