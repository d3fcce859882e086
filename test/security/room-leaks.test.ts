import { matchMaker } from "@colyseus/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { nextMessage, waitFor } from "../support/wait.ts";

/** How many refused tables to open; TABLES=… in the environment runs more (or fewer). */
const TABLES = Number(process.env.TABLES ?? 200);
const GRANT_MINOR = 150n;

describe("a bet the wallet refuses leaves no trace", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Every guest starts with less than the table minimum's double: a bet of twice the minimum is refused.
    server = await startTestServer({ STARTING_GRANT_MINOR: String(GRANT_MINOR) });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const openRounds = async () =>
    (
      await server.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from wallet_rounds where status = 'open'`,
      )
    ).rows[0]!.n;
  const liveTables = async () => (await matchMaker.query({ name: "blackjack" })).length;

  it(`${TABLES} tables whose only bet was refused open no wallet round and all dispose`, async () => {
    const guest = await signInGuest(server.url, "Short Of Cash");
    const client = sdkClient(server.url, guest.token);
    const refusals: string[] = [];
    // A few at a time, as separate players at once would; every table is a new one (custom settings).
    for (let start = 0; start < TABLES; start += 10) {
      const batch = Array.from({ length: Math.min(10, TABLES - start) }, async () => {
        const room = await client.create("blackjack", { bettingSeconds: 60, minBetMinor: 100 });
        const error = nextMessage<{ code: string }>(room, "error");
        room.send("bet", { amountMinor: 200 });
        refusals.push((await error).code);
        await room.leave();
      });
      await Promise.all(batch);
    }
    expect(new Set(refusals)).toEqual(new Set(["INSUFFICIENT_FUNDS"]));
    expect(refusals).toHaveLength(TABLES);
    await waitFor(async () => (await liveTables()) === 0, "every refused table to dispose", 30_000);
    expect(await openRounds()).toBe(0);
    expect(server.server.services.leases.tracked).toEqual([]);
  });

  it("a bet the wallet accepts still plays, settles and lets the table dispose", async () => {
    const guest = await signInGuest(server.url, "Small Stakes");
    const room = await sdkClient(server.url, guest.token).create("blackjack", {
      bettingSeconds: 0.05,
      actionSeconds: 0.05,
      insuranceSeconds: 0.05,
      resultSeconds: 0.05,
      minBetMinor: 100,
    });
    const settled = nextMessage<{ roundId: string }>(room, "roundSettled");
    room.send("bet", { amountMinor: 100 });
    const { roundId } = await settled;
    expect(roundId).toMatch(/^blackjack:/);
    await room.leave();
    await waitFor(async () => (await liveTables()) === 0, "the table to dispose");
    expect(await openRounds()).toBe(0);
  });
});
