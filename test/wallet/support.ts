import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { players } from "../../src/db/schema/index.ts";
import { Wallet, type WalletSettings } from "../../src/wallet/wallet.ts";
import { createScratchDatabase, type ScratchDatabase } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

export const TEST_WALLET_SETTINGS: WalletSettings = {
  currency: "DEMO",
  currencyScale: 2,
  startingGrantMinor: 100_000n,
  topUpMinor: 50_000n,
  topUpCooldownSeconds: 3600,
  roundLeaseMs: 30_000,
};

export interface WalletTestContext {
  scratch: ScratchDatabase;
  database: Database;
  wallet: Wallet;
  /** Inserts players and returns their ids. */
  createPlayers(count: number): Promise<string[]>;
  close(): Promise<void>;
}

/** A migrated scratch database on the real Postgres with a wallet over it. */
export async function openWalletTestContext(
  options: { poolSize?: number; settings?: Partial<WalletSettings> } = {},
): Promise<WalletTestContext> {
  const scratch = await createScratchDatabase("ts_wallet");
  const database = await openDatabase({ url: scratch.url, dataDir: "unused", poolSize: options.poolSize ?? 8 });
  await database.migrate();
  const wallet = new Wallet(database.db, { ...TEST_WALLET_SETTINGS, ...options.settings });
  return {
    scratch,
    database,
    wallet,
    async createPlayers(count) {
      const rows = await database.db
        .insert(players)
        .values(Array.from({ length: count }, (_, index) => ({ displayName: `player-${index}` })))
        .returning({ id: players.id });
      return rows.map((row) => row.id);
    },
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * Resolves once the open rounds named (every open round when none is named) hold no lease that is still running, by
 * the database's clock, which is the one recovery reads.
 */
export async function leasesLapsed(database: Database, roundIds?: readonly string[], timeoutMs = 15_000) {
  const running = async () => {
    const { rows } = await database.db.execute<{ n: number }>(
      roundIds
        ? sql`select count(*)::int as n from wallet_rounds where status = 'open' and lease_expires_at > now()
                and id in (${sql.join(
                  roundIds.map((id) => sql`${id}`),
                  sql`, `,
                )})`
        : sql`select count(*)::int as n from wallet_rounds where status = 'open' and lease_expires_at > now()`,
    );
    return rows[0]!.n;
  };
  await waitFor(
    async () => (await running()) === 0,
    `the leases of ${roundIds?.join(", ") ?? "every open round"} to lapse`,
    timeoutMs,
    25,
  );
}
