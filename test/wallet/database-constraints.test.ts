import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresErrorOf } from "../../src/wallet/errors.ts";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

/** The invariants hold even for a write that bypasses the wallet service. */
describe.skipIf(!(await postgresAvailable()))("ledger constraints in the database", () => {
  let context: WalletTestContext;
  let playerAccountId: string;

  const failure = async (statement: ReturnType<typeof sql>) => {
    try {
      await context.database.db.execute(statement);
    } catch (error) {
      return postgresErrorOf(error);
    }
    return undefined;
  };

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 2 });
    const [playerId] = await context.createPlayers(1);
    await context.wallet.ensurePlayerWallet(playerId!);
    const rows = await context.database.db.execute<{ id: string }>(
      sql`select id::text from wallet_accounts where player_id = ${playerId}::uuid`,
    );
    playerAccountId = rows.rows[0]!.id;
  });
  afterAll(async () => {
    await context?.close();
  });

  it("refuses a negative player balance", async () => {
    const error = await failure(
      sql`update wallet_accounts set balance_minor = -1 where id = ${playerAccountId}::bigint`,
    );
    expect(error).toMatchObject({ code: "23514", constraint: "wallet_accounts_balance_non_negative" });
  });

  it("refuses a transfer of zero, between one account and itself, or to an account that does not exist", async () => {
    const insert = (debit: string, credit: string, amount: number, key: string) =>
      failure(sql`insert into wallet_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor, kind)
                  values (${key}, ${debit}::bigint, ${credit}::bigint, ${amount}, 'grant')`);
    expect(await insert("1", playerAccountId, 0, "zero")).toMatchObject({
      constraint: "wallet_transfers_amount_positive",
    });
    expect(await insert(playerAccountId, playerAccountId, 5, "self")).toMatchObject({
      constraint: "wallet_transfers_distinct_accounts",
    });
    expect(await insert("1", "999999", 5, "ghost")).toMatchObject({ code: "23503" });
  });

  it("refuses a second transfer under one idempotency key", async () => {
    const rows = await context.database.db.execute<{ key: string }>(
      sql`select idempotency_key as key from wallet_transfers limit 1`,
    );
    const error = await failure(
      sql`insert into wallet_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor, kind)
          values (${rows.rows[0]!.key}, 1, ${playerAccountId}::bigint, 5, 'grant')`,
    );
    expect(error).toMatchObject({ code: "23505", constraint: "wallet_transfers_idempotency_key_unique" });
  });
});
