import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "../../src/auth/tokens.ts";
import { createWalletRouter } from "../../src/wallet/http.ts";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

const OPERATOR_AUTHORIZATION = `Basic ${Buffer.from("operator:secret").toString("base64")}`;

function requireOperator(req: Request, res: Response, next: NextFunction) {
  if (req.headers.authorization === OPERATOR_AUTHORIZATION) next();
  else res.status(401).json({ error: "OPERATOR_REQUIRED" });
}

describe.skipIf(!(await postgresAvailable()))("wallet HTTP routes", () => {
  let context: WalletTestContext;
  let server: ReturnType<ReturnType<typeof express>["listen"]>;
  let baseUrl: string;
  const tokens = new TokenService("a-test-secret-that-is-at-least-32-characters", 600);
  let alice: string;
  let bob: string;
  let aliceToken: string;

  const get = (path: string, authorization?: string) =>
    fetch(`${baseUrl}${path}`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 2 });
    const { wallet } = context;
    [alice, bob] = (await context.createPlayers(2)) as [string, string];
    await wallet.ensurePlayerWallet(alice);
    await wallet.ensurePlayerWallet(bob);
    for (let round = 1; round <= 3; round++) {
      const roundId = `http-${round}`;
      await wallet.openRound({ roundId, game: "draws", ownerNodeId: "node-a" });
      await wallet.stake({ key: `${roundId}-a`, roundId, playerId: alice, amountMinor: 1_000n });
      await wallet.stake({ key: `${roundId}-b`, roundId, playerId: bob, amountMinor: 1_000n });
      await wallet.settle({
        key: `${roundId}-settle`,
        roundId,
        outcome: { payouts: [{ playerId: bob, amountMinor: 1_950n }], rakeMinor: 50n },
      });
    }
    aliceToken = `Bearer ${await tokens.issue({ playerId: alice, displayName: "alice" })}`;
    const app = express();
    app.use(createWalletRouter({ wallet, tokens, requireOperator }));
    server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await context?.close();
  });

  it("shows the signed-in player their own balance, formatted", async () => {
    const response = await get("/wallet", aliceToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      playerId: alice,
      balanceMinor: "97000",
      currency: "DEMO",
      currencyScale: 2,
      formatted: "970.00 DEMO",
    });
  });

  it("refuses a request without a valid player token", async () => {
    expect((await get("/wallet")).status).toBe(401);
    expect((await get("/wallet/transfers", "Bearer not-a-token")).status).toBe(401);
  });

  it("pages the player's own transfers newest first and never another player's", async () => {
    const seen: Array<{ id: string; kind: string; direction: string; amountMinor: string }> = [];
    let path = "/wallet/transfers?limit=2";
    for (let pages = 0; pages < 10; pages++) {
      const response = await get(path, aliceToken);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { transfers: typeof seen; nextBefore: string | null };
      expect(body.transfers.length).toBeLessThanOrEqual(2);
      seen.push(...body.transfers);
      if (body.nextBefore === null) break;
      path = `/wallet/transfers?limit=2&before=${body.nextBefore}`;
    }

    // Alice's ledger: the starting grant and three stakes; Bob's payouts and stakes are not hers to see.
    expect(seen.map((entry) => [entry.kind, entry.direction, entry.amountMinor])).toEqual([
      ["stake", "debit", "1000"],
      ["stake", "debit", "1000"],
      ["stake", "debit", "1000"],
      ["grant", "credit", "100000"],
    ]);
    const ids = seen.map((entry) => BigInt(entry.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
  });

  it("rejects a bad page size or cursor with 400", async () => {
    expect((await get("/wallet/transfers?limit=abc", aliceToken)).status).toBe(400);
    expect((await get("/wallet/transfers?limit=0", aliceToken)).status).toBe(400);
    expect((await get("/wallet/transfers?before=-1", aliceToken)).status).toBe(400);
    const capped = await get("/wallet/transfers?limit=999", aliceToken);
    expect(capped.status).toBe(200);
  });

  it("answers 404 for a signed-in player without a wallet", async () => {
    const [carol] = await context.createPlayers(1);
    const token = `Bearer ${await tokens.issue({ playerId: carol!, displayName: "carol" })}`;
    const response = await get("/wallet", token);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "WALLET_NOT_FOUND" });
  });

  it("serves the audit to the operator only", async () => {
    expect((await get("/admin/audit", aliceToken)).status).toBe(401);
    const response = await get("/admin/audit", OPERATOR_AUTHORIZATION);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { ok: boolean; sumOfBalancesMinor: string; checks: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.sumOfBalancesMinor).toBe("0");
    expect(report.checks).toHaveLength(6);
  });
});
