import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";

try {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const { applied, expected } = await database.migrationStatus();
    console.log(`migrations applied on ${database.kind}: ${applied} of ${expected}`);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
