import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();

/** Kills every server a test spawned and has not stopped (a failed assertion must not leave a port taken). */
export function killSpawnedServers(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/**
 * Suites sign in and join from one address far faster than a player would, and servers sharing the test Redis share
 * its counters; test/security sets the limits it tests.
 */
export const GENEROUS_LIMITS = {
  RATE_LIMIT_GUEST_SIGNUPS: "1000000/60",
  RATE_LIMIT_MATCHMAKE: "1000000/60",
  RATE_LIMIT_MATCHMAKE_IP: "1000000/60",
  RATE_LIMIT_HTTP: "1000000/60",
  RATE_LIMIT_WS_CONNECTS: "1000000/60",
  WS_MESSAGES_PER_SECOND: "100000",
  WS_MESSAGES_PER_SECOND_PER_IP: "1000000",
  WS_BYTES_PER_SECOND: "100000000",
};

/** `node src/main.ts` as its own process, as an operator would run it, with the given environment. */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      LOG_LEVEL: "info",
      ...GENEROUS_LIMITS,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  running.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  return { child, output: () => output, exited };
}

/** How often a spawned server's output is searched again. */
const OUTPUT_POLL_MS = 100;

export async function waitForOutput(server: ServerProcess, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    () => {
      if (pattern.test(server.output())) return true;
      if (server.child.exitCode !== null) throw new Error("server exited early");
      return false;
    },
    `${pattern} in the server's output`,
    timeoutMs,
    OUTPUT_POLL_MS,
  ).catch((error: Error) => {
    throw new Error(`${error.message}:\n${server.output()}`);
  });
}
