import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

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

export async function waitForOutput(server: ServerProcess, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(server.output())) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
