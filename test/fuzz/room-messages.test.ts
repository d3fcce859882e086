// Hostile input for every room, through real SDK connections to a real server process: random and mutated intents,
// wrong types, NaN and Infinity, huge and deeply nested payloads, unknown names, valid intents at the wrong time or
// for another seat, raw garbage frames. The server must not crash or log an error; every rejected message must be
// a clear error that changes neither what any client sees nor any balance; the ledger audit passes afterwards.
//
// FUZZ_SEED=<n> replays a run; FUZZ_SECONDS_PER_ROOM=<s> makes it longer (CI: 6 s per room).
import { randomInt } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RAISED_RATE_LIMITS } from "../../loadtest/scripts/raised-limits.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { openDatabase } from "../../src/db/database.ts";
import { auditLedger } from "../../src/wallet/audit.ts";
import { until } from "../faults/support.ts";
import { freePort } from "../support/free-port.ts";
import { killSpawnedServers, type ServerProcess, spawnServer } from "../support/server-process.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { OPERATOR } from "../tournaments/support.ts";
import { type FuzzCounts, fuzzRoom } from "./room-fuzzer.ts";
import { FUZZ_TARGETS } from "./targets.ts";

const hasPostgres = await postgresAvailable();
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
const SECONDS_PER_ROOM = Number(process.env.FUZZ_SECONDS_PER_ROOM ?? 6);

/**
 * The server's output split into what must not be there and what may: pino lines at error or fatal level, and any
 * other printed error, are failures; Colyseus prints the error of a frame it could not decode (msgpack, or one over
 * the size cap in ws) as it closes that connection, which is the documented answer to such a frame.
 */
function serverErrors(output: string): { failures: string[]; closedFrameNotices: number } {
  const failures: string[] = [];
  let closedFrameNotices = 0;
  const blocks: string[][] = [];
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith("    at ") && blocks.length > 0) blocks[blocks.length - 1]!.push(line);
    else blocks.push([line]);
  }
  for (const block of blocks) {
    const head = block[0]!;
    if (head.startsWith("{")) {
      try {
        if ((JSON.parse(head) as { level?: number }).level! >= 50) failures.push(head);
      } catch {
        failures.push(head);
      }
      continue;
    }
    const fromFrameDecoding =
      block.some((line) => /@colyseus\/core\/build\/RoomMessages\.mjs|\/ws\/lib\/receiver\.js/.test(line)) ||
      /^(Max payload size exceeded|decode\.\w+\(\): )/.test(head);
    if (fromFrameDecoding) closedFrameNotices += 1;
    else if (/error|uncaught|unhandled|exception/i.test(head)) failures.push(block.join("\n"));
  }
  return { failures, closedFrameNotices };
}

describe.skipIf(!hasPostgres)(`room fuzzing (FUZZ_SEED=${SEED})`, () => {
  let scratch: ScratchDatabase;
  let server: ServerProcess;
  let url: string;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_fuzz");
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawnServer({
      PORT: String(port),
      NODE_ENV: "test",
      DATABASE_URL: scratch.url,
      JWT_SECRET: "a-secret-for-the-fuzz-test-that-is-long-enough",
      PHYSICS_BACKEND: "cpu",
      LOG_LEVEL: "warn",
      // The tournament target opens its tournaments as the operator.
      MONITOR_USER: OPERATOR.user,
      MONITOR_PASSWORD: OPERATOR.password,
      ...RAISED_RATE_LIMITS,
    });
    await until(async () => (await fetch(`${url}/ready`).catch(() => null))?.status === 200, "the server", 60_000);
  });
  afterAll(async () => {
    killSpawnedServers();
    await scratch?.drop();
  });

  it(
    "rejects every bad message with a clear error, changes nothing for it, and never crashes",
    async () => {
      console.log(`room fuzzing with FUZZ_SEED=${SEED} (${SECONDS_PER_ROOM} s per room)`);
      const random = seededUniform(SEED);
      const allIntentNames = FUZZ_TARGETS.flatMap((target) => Object.keys(target.intents));
      const results: FuzzCounts[] = [];
      for (const target of FUZZ_TARGETS) {
        results.push(await fuzzRoom(target, { url, random, durationMs: SECONDS_PER_ROOM * 1000, allIntentNames }));
        if (server.child.exitCode !== null) break;
      }
      if (process.env.FUZZ_DEBUG) writeFileSync("/tmp/fuzz-server.log", server.output());
      const crashes = server.child.exitCode === null ? 0 : 1;
      const errors = serverErrors(server.output());
      console.log(
        [
          `FUZZ_SEED=${SEED}`,
          ...results.map(
            (r) =>
              `${r.room.padEnd(10)} tried ${r.tried}, rejected ${r.rejected}, taken ${r.accepted}, raw frames ${r.rawFrames}, ` +
              `documented disconnects ${r.documentedDisconnects} (${[...r.disconnectCauses].join("; ")}), tables ${r.tables}, invariant violations ${r.violations.length}`,
          ),
          `crashes ${crashes}, server errors ${errors.failures.length}, frames closed with a printed decode error ${errors.closedFrameNotices}`,
        ].join("\n"),
      );
      const violations = results.flatMap((r) => r.violations.map((v) => `${r.room}: ${v}`));
      expect(crashes, `FUZZ_SEED=${SEED}: the server exited\n${server.output().slice(-4000)}`).toBe(0);
      expect(errors.failures, `FUZZ_SEED=${SEED}`).toEqual([]);
      expect(violations, `FUZZ_SEED=${SEED}`).toEqual([]);
      for (const r of results)
        expect(r.rejected, `${r.room} rejected nothing: the fuzzer is not reaching it`).toBeGreaterThan(3);

      const database = await openDatabase({ url: scratch.url, dataDir: "memory://" });
      try {
        const report = await auditLedger(database.db);
        expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
      } finally {
        await database.close();
      }
    },
    (SECONDS_PER_ROOM * FUZZ_TARGETS.length + 60) * 1000,
  );
});
