import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

const run = promisify(execFile);
const AUDIT_CLI = fileURLToPath(new URL("../../src/cli/audit.ts", import.meta.url));

async function runAuditCli(databaseUrl: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [AUDIT_CLI], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe.skipIf(!(await postgresAvailable()))("ledger audit", () => {
  let context: WalletTestContext;

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 2 });
    const { wallet } = context;
    const [alice, bob] = (await context.createPlayers(2)) as [string, string];
    await wallet.ensurePlayerWallet(alice);
    await wallet.ensurePlayerWallet(bob);
    await wallet.openRound({ roundId: "audited", game: "draws", ownerNodeId: "node-a" });
    await wallet.stake({ key: "au-a", roundId: "audited", playerId: alice, amountMinor: 700n });
    await wallet.stake({ key: "au-b", roundId: "audited", playerId: bob, amountMinor: 700n });
    await wallet.settle({
      key: "au-settle",
      roundId: "audited",
      outcome: { payouts: [{ playerId: alice, amountMinor: 1_330n }], rakeMinor: 70n },
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  it("passes on a sound ledger, and npm run audit exits 0", async () => {
    const report = await context.wallet.audit();
    expect(report.ok).toBe(true);
    expect(report.sumOfBalancesMinor).toBe(0n);
    expect(report.mintBalanceMinor).toBe(-200_000n);

    const cli = await runAuditCli(context.scratch.url);
    expect(cli.output).toContain("OK");
    expect(cli.code).toBe(0);
  });

  it("catches a balance edited behind the ledger's back, and the CLI exits non-zero", async () => {
    // Money from nowhere: a balance changed without a transfer. Only a direct write can do this.
    await context.database.db.execute(
      sql`update wallet_accounts set balance_minor = balance_minor + 1 where kind = 'player' and id = (select min(id) from wallet_accounts where kind = 'player')`,
    );
    const report = await context.wallet.audit();
    const failed = report.checks.filter((check) => !check.ok).map((check) => check.name);
    expect(failed).toEqual(["balances_sum_to_zero", "balances_match_ledger"]);

    const cli = await runAuditCli(context.scratch.url);
    expect(cli.output).toContain("FAIL");
    expect(cli.code).toBe(1);
  });

  it("catches a closed round whose escrow still holds money", async () => {
    await context.database.db.execute(sql`
      update wallet_accounts set balance_minor = 5 where id = (select escrow_account_id from wallet_rounds where id = 'audited')`);
    const report = await context.wallet.audit();
    const closedRounds = report.checks.find((check) => check.name === "closed_rounds_hold_nothing")!;
    expect(closedRounds.ok).toBe(false);
    expect(closedRounds.violations).toEqual(["round audited is settled with 5 in escrow"]);
  });
});
