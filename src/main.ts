import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { createLogger } from "./logging.ts";
import { startGameServer } from "./server.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
// One failed promise or stray exception must not take every game on this node down with it: log it and keep serving.
process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "unhandled promise rejection (the server keeps running)");
});
process.on("uncaughtException", (error) => {
  logger.error({ err: error }, "uncaught exception (the server keeps running)");
});
if (config.jwtSecretGenerated) {
  logger.warn("JWT_SECRET is not set: using a random secret for this run, so tokens die with the process");
}

const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
await database.migrate();
logger.info({ database: database.kind }, "database migrated");

const server = await startGameServer(config, database, logger);

async function stop(signal: string) {
  try {
    await server.shutdown(signal);
    await database.close();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, "shutdown failed");
    process.exit(1);
  }
}
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
