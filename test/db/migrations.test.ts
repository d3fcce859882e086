import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { players } from "../../src/db/schema/index.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";

const hasPostgres = await postgresAvailable();

async function exerciseMigrations(database: Database) {
  expect(await database.migrationStatus()).toMatchObject({ applied: 0 });
  await database.migrate();
  const status = await database.migrationStatus();
  expect(status.expected).toBeGreaterThan(0);
  expect(status.applied).toBe(status.expected);

  // Applying again is a no-op: start-up and the Helm hook Job may both run it.
  await database.migrate();
  expect(await database.migrationStatus()).toEqual(status);

  const [player] = await database.db.insert(players).values({ displayName: "Migrated Mo" }).returning();
  expect(player!.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(player!.createdAt).toBeInstanceOf(Date);
  const tables = await database.db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public'`,
  );
  expect(tables.rows.map((row) => row.table_name)).toContain("players");
}

describe("migrations on a fresh PGlite", () => {
  it("apply cleanly, report their status and are idempotent", async () => {
    const database = await openDatabase({ dataDir: "memory://" });
    try {
      await exerciseMigrations(database);
    } finally {
      await database.close();
    }
  });
});

describe.skipIf(!hasPostgres)("migrations on a fresh database of the real Postgres", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it("apply cleanly, report their status and are idempotent", async () => {
    const database = await openDatabase({ url: scratch.url, dataDir: "" });
    try {
      await exerciseMigrations(database);
    } finally {
      await database.close();
    }
  });

  it("two nodes starting at once both succeed: the advisory lock makes them take turns", async () => {
    const fresh = await createScratchDatabase();
    const nodes = await Promise.all([1, 2, 3].map(() => openDatabase({ url: fresh.url, dataDir: "" })));
    try {
      await Promise.all(nodes.map((node) => node.migrate()));
      const status = await nodes[0]!.migrationStatus();
      expect(status.applied).toBe(status.expected);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
      await fresh.drop();
    }
  });
});
