// House-edge simulator: plays the derived basic strategy through the real engine and fair shoes.
// npm run sim:blackjack -- --hands 10000000 --rules strip-6d-s17-das-ls [--shuffle cut-card|every-round]
//   [--workers N] [--seed <64 hex>] [--json]      (--rules all runs every preset)
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import {
  emptyTotals,
  houseEdge,
  isRulePresetName,
  mergeTotals,
  RULE_PRESETS,
  type RulePresetName,
  type ShuffleMode,
  type SimulationTotals,
} from "../../simulation/blackjack/index.ts";
import { isServerSeed } from "../../simulation/rng/index.ts";
import { generateServerSeed } from "../fair/server-seed.ts";
import type { SimWorkerInput } from "./sim-blackjack-worker.ts";

const MAX_HANDS = 10_000_000_000;
const MAX_WORKERS = 64;

function usage(message: string): never {
  console.error(`sim:blackjack: ${message}`);
  console.error(
    `usage: npm run sim:blackjack -- --hands N --rules PRESET|all [--shuffle cut-card|every-round] [--workers N] [--seed HEX64] [--json]\npresets: ${Object.keys(RULE_PRESETS).join(", ")}`,
  );
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    hands: { type: "string", default: "1000000" },
    rules: { type: "string", default: "strip-6d-s17-das-ls" },
    shuffle: { type: "string", default: "cut-card" },
    workers: { type: "string", default: String(availableParallelism()) },
    seed: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const hands = Number(values.hands);
if (!Number.isSafeInteger(hands) || hands < 2 || hands > MAX_HANDS) usage(`--hands must be 2..${MAX_HANDS}`);
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) usage(`--workers must be 1..${MAX_WORKERS}`);
const shuffle = values.shuffle as ShuffleMode;
if (shuffle !== "cut-card" && shuffle !== "every-round") usage("--shuffle must be cut-card or every-round");
const serverSeed = values.seed ?? generateServerSeed();
if (!isServerSeed(serverSeed)) usage("--seed must be 64 lowercase hex characters");
const presets: RulePresetName[] =
  values.rules === "all"
    ? (Object.keys(RULE_PRESETS) as RulePresetName[])
    : isRulePresetName(values.rules)
      ? [values.rules]
      : usage(`unknown preset "${values.rules}"`);

function runShare(input: SimWorkerInput): Promise<SimulationTotals> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./sim-blackjack-worker.ts", import.meta.url), { workerData: input });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
    });
  });
}

async function simulatePreset(preset: RulePresetName) {
  const started = performance.now();
  const shares = Array.from({ length: workers }, (_, k) => ({
    preset,
    rounds: Math.floor(hands / workers) + (k < hands % workers ? 1 : 0),
    serverSeed,
    clientSeed: `sim-${preset}-${k}`,
    shuffle,
  }));
  const results = await Promise.all(shares.filter((share) => share.rounds > 0).map(runShare));
  const totals = results.reduce(mergeTotals, emptyTotals());
  const edge = houseEdge(totals);
  const rules = RULE_PRESETS[preset];
  return {
    preset,
    rules: { ...rules, minBet: String(rules.minBet), maxBet: String(rules.maxBet) },
    shuffle,
    hands: edge.rounds,
    houseEdgePercent: Number(edge.houseEdgePercent.toFixed(4)),
    standardErrorPercent: Number(edge.standardErrorPercent.toFixed(4)),
    standardDeviation: Number(edge.standardDeviation.toFixed(4)),
    averageStake: Number(edge.averageStake.toFixed(4)),
    shoes: totals.shoes,
    workers,
    serverSeed,
    clientSeeds: shares.map((share) => share.clientSeed),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

const reports = [];
for (const preset of presets) {
  const report = await simulatePreset(preset);
  reports.push(report);
  if (!values.json) {
    console.log(
      `${report.preset} (${report.shuffle}): house edge ${report.houseEdgePercent.toFixed(3)}% ± ${report.standardErrorPercent.toFixed(3)}% ` +
        `(1 s.e.) over ${report.hands.toLocaleString("en")} hands, ${report.seconds}s on ${workers} workers`,
    );
  }
}
if (values.json) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
