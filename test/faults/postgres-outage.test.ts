// Postgres goes away for about ten seconds under a seated player (played by cutting a TCP relay in front of the real
// server, never by stopping it): /ready says 503 while it lasts, routes that need the database answer 503
// DATABASE_UNAVAILABLE, a stake fails with an error reply and moves nothing, the process stays up, and once the
// database is back the same table takes the same stake by itself.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RAISED_RATE_LIMITS } from "../../loadtest/scripts/raised-limits.ts";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import { betUntilRoundWaits } from "../support/blackjack.ts";
import { freePort } from "../support/free-port.ts";
import { sdkClient, signInGuest, walletBalance } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer } from "../support/server-process.ts";
import {
  createScratchDatabase,
  POSTGRES_ADMIN_URL,
  postgresAvailable,
  type ScratchDatabase,
} from "../support/services.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { phaseOf, runAudit, until } from "./support.ts";

const hasPostgres = await postgresAvailable();
const OUTAGE_MS = 10_000;

interface ErrorReply {
  type: string;
  code: string;
  message: string;
}

describe.skipIf(!hasPostgres)("a Postgres outage under a seated player", () => {
  let scratch: ScratchDatabase;
  let proxy: TcpProxy;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_fault_pg");
    const target = new URL(POSTGRES_ADMIN_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterAll(async () => {
    killSpawnedServers();
    await proxy?.close();
    await scratch?.drop();
  });

  it("answers 503 and refuses stakes while it lasts, then resumes on its own", async () => {
    const viaProxy = new URL(scratch.url);
    viaProxy.port = String(proxy.port);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const node = spawnServer({
      PORT: String(port),
      DATABASE_URL: viaProxy.toString(),
      JWT_SECRET: "a-secret-for-the-postgres-outage-test-long-enough",
      PHYSICS_BACKEND: "cpu",
      LOG_LEVEL: "warn",
      ...RAISED_RATE_LIMITS,
    });
    await until(async () => (await fetch(`${url}/ready`).catch(() => null))?.status === 200, "the server", 60_000);

    const guest = await signInGuest(url, "Outage Olga");
    const table = await sdkClient(url, guest.token).create<Synced<BlackjackStateView>>("blackjack", {
      bettingSeconds: 120,
      actionSeconds: 60,
    });
    const errors: ErrorReply[] = [];
    table.onMessage("error", (error: ErrorReply) => errors.push(error));
    for (const type of ["events", "roundSettled", "seedRevealed"]) table.onMessage(type, () => {});
    await until(() => phaseOf(table) === "betting", "the table");

    const cutAt = Date.now();
    await proxy.cut();
    await until(async () => (await fetch(`${url}/ready`)).status === 503, "/ready to say 503", OUTAGE_MS);
    const ready = (await (await fetch(`${url}/ready`)).json()) as { problems: string[] };
    expect(ready.problems.join(" ")).toMatch(/database/);

    table.send("bet", { amountMinor: 1_000 });
    await until(() => errors.length > 0, "the stake's refusal", OUTAGE_MS);
    expect(errors[0]).toMatchObject({ type: "bet", code: "DATABASE_UNAVAILABLE" });
    expect(errors[0]!.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors[0])).not.toMatch(/ECONN|postgres|at \w+ \(/i);
    expect(phaseOf(table)).toBe("betting");
    const seat = [...table.state.seats.values()][0];
    expect(seat?.betMinor).toBe("0");

    // Routes that need the database answer 503 with a code and a sentence, never a bare 500 or internals.
    const signUp = await fetch(`${url}/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ displayName: "During Outage" }),
    });
    const wallet = await fetch(`${url}/wallet`, { headers: { authorization: `Bearer ${guest.token}` } });
    const answers = [signUp, wallet];
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    console.log(
      `during the outage: the stake got ${JSON.stringify(errors[0])}; a sign-up got ${signUp.status} ${bodies[0]}; GET /wallet got ${wallet.status} ${bodies[1]}`,
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(JSON.parse(bodies[i]!)).toEqual({
        error: "DATABASE_UNAVAILABLE",
        message: expect.stringMatching(/database/),
      });
      expect(bodies[i]).not.toMatch(/ECONN|postgres|at \w+ \(/i);
    }

    await until(() => Date.now() - cutAt >= OUTAGE_MS, "the outage to last", OUTAGE_MS + 1_000);
    expect(node.child.exitCode).toBeNull();
    await proxy.restore();

    await until(async () => (await fetch(`${url}/ready`)).status === 200, "/ready to recover", 30_000);
    const refusals = errors.length;
    // A hand the deal settles (a blackjack) pays at once: bet again until a round holds the stake.
    let before = 0n;
    const roundsBet = await betUntilRoundWaits(table, 1_000, async () => {
      before = await walletBalance(url, guest.token);
    });
    expect(errors.slice(refusals)).toEqual([]);
    expect(await walletBalance(url, guest.token)).toBe(before - 1_000n);

    // Nothing half-done: the refused stake left no round behind.
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      const rounds = Number((await db.query("select count(*) as n from wallet_rounds")).rows[0].n);
      expect(rounds).toBe(roundsBet);
    } finally {
      await db.end();
    }
    await table.leave();
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
    const audit = await runAudit(scratch.url);
    expect(audit.code, audit.output).toBe(0);
  }, 120_000);
});
