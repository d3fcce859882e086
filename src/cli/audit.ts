import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { auditLedger, formatAuditReport } from "../wallet/audit.ts";

// Exit codes: 0 the ledger is sound, 1 an invariant is violated, 2 the audit could not run.
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
let exitCode = 2;
try {
  const report = await auditLedger(database.db);
  console.log(formatAuditReport(report, config.wallet));
  exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error(`wallet audit could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await database.close();
}
process.exitCode = exitCode;
