import { type Database, openDatabase } from "../../src/db/database.ts";
import { players } from "../../src/db/schema/index.ts";
import { Wallet, type WalletSettings } from "../../src/wallet/wallet.ts";
import { createScratchDatabase, type ScratchDatabase } from "../support/services.ts";

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
