// Replays a stored pool match and checks it: npm run replay -- MATCH_ID [--json] [--tolerance METRES]
// Exit status: 0 the replay reproduces the final table and the winner, 1 it does not, 2 it could not run.
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { backendReplaySimulator } from "../replays/replay-simulator.ts";
import { loadReplay } from "../replays/store.ts";
import { replayPoolMatch } from "../replays/verify.ts";

// Room ids, and so match ids, may begin with "-"; this command has no one-letter options, so such an argument is the
// match id and goes after the end of the options.
const args = process.argv.slice(2);
const dashIds = args.includes("--") ? [] : args.filter((arg) => /^-[^-]/.test(arg));
const { values, positionals } = parseArgs({
  args: dashIds.length > 0 ? [...args.filter((arg) => !dashIds.includes(arg)), "--", ...dashIds] : args,
  allowPositionals: true,
  options: { json: { type: "boolean", default: false }, tolerance: { type: "string", default: "0" } },
});
const matchId = positionals[0];
const tolerance = Number(values.tolerance);
if (!matchId || !(tolerance >= 0)) {
  console.error("usage: npm run replay -- MATCH_ID [--json] [--tolerance METRES]");
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
let exitCode = 2;
try {
  const replay = await loadReplay(database.db, matchId);
  if (!replay) {
    console.error(`replay: no finished match ${matchId}`);
  } else {
    const simulator = await backendReplaySimulator(replay);
    const report = await replayPoolMatch(replay, { toleranceM: tolerance, simulate: simulator.simulate }).finally(() =>
      simulator.close(),
    );
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`match ${report.matchId}: ${replay.steps.length} steps, ${report.shots.length} shots`);
      console.log(`seed commitment:  ${report.commitmentOk ? "MATCHES" : "DOES NOT MATCH"}`);
      console.log(`coin toss:        ${report.breakerOk ? "reproduced" : "DIFFERS"} (seat ${replay.breaker} broke)`);
      console.log(`racks:            ${report.racksOk ? "reproduced" : "DIFFER"} (${replay.racks.length})`);
      for (const shot of report.shots) {
        console.log(
          `  step ${String(shot.step).padStart(3)} seat ${shot.seat}: ${shot.agrees ? "agrees" : "DIFFERS"}` +
            ` (max deviation ${shot.maxDeviationM.toExponential(2)} m, pockets ${shot.pocketsAgree ? "same" : "differ"})`,
        );
      }
      console.log(`shots agreeing:   ${report.shotsAgreeing} of ${report.shots.length}`);
      console.log(`final table:      ${report.finalTableOk ? "reproduced" : "DIFFERS"}`);
      console.log(
        `winner:           ${report.winnerOk ? "reproduced" : "DIFFERS"} (seat ${replay.final.winnerSeat}, ${replay.final.reason})`,
      );
      for (const problem of report.problems) console.log(`problem: ${problem}`);
    }
    exitCode = report.ok ? 0 : 1;
  }
} catch (error) {
  console.error(`replay could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await database.close();
}
process.exitCode = exitCode;
