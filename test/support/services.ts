import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";

/**
 * Suites that need the real Postgres or Redis call these. In CI a missing service fails the suite;
 * on a bare laptop the suite is skipped with a loud message.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const inCi = process.env.CI === "true" || process.env.CI === "1";

async function probe(name: string, check: () => Promise<void>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (inCi) throw new Error(`${name} is required in CI and is not reachable: ${reason}`);
    console.warn(`\n!!! ${name} is not reachable (${reason}): skipping the suites that need it.\n`);
    return false;
  }
}

export async function postgresAvailable(): Promise<boolean> {
  return probe("PostgreSQL", async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
  });
}

export async function redisAvailable(): Promise<boolean> {
  return probe("Redis", async () => {
    const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the real Postgres for one test file, dropped afterwards. */
export async function createScratchDatabase(prefix = "ts_test"): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
