// Provably-fair verifier: recompute a shoe or a draw from revealed seeds and check a seed against its commitment.
// The same parameters as GET /fair/verify, in kebab case (src/fair/verification.ts). Exit status: 0 verified,
// 1 the seed does not match --server-seed-hash, 2 a refused command line.
import {
  cliSpelling,
  DEFAULT_DRAW_COUNT,
  parseVerification,
  runVerification,
  type VerifyReport,
} from "../fair/verification.ts";

const USAGE = `usage:
  npm run verify -- --server-seed HEX64 (--client-seed SEED | --client-seeds 0=a,3=b) --nonce N --decks 1-8
                    [--server-seed-hash HEX64] [--json]                  a whole shoe (mode shoe, the default)
  npm run verify -- --mode draw --server-seed HEX64 --client-seed SEED --nonce N [--count K] [--decks 1-8]
                    [--server-seed-hash HEX64] [--json]                  the top K cards (default ${DEFAULT_DRAW_COUNT}, one deck)
  npm run verify -- --mode hash --server-seed HEX64 [--server-seed-hash HEX64] [--json]
                                                                         the seed's SHA-256, checked against the commitment
  npm run verify -- --help

--server-seed-hash is the commitment shown before play (serverSeedHash in the rooms' state and messages).
Exit status: 0 verified, 1 the seed does not match --server-seed-hash, 2 a refused command line.
The same check over HTTP: GET /fair/verify?serverSeed=...&clientSeed=...&nonce=...&decks=... (docs/fairness.md).`;

function refuse(message: string): never {
  console.error(`verify: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

/** `--name value` or `--name=value`, kept as typed: parseVerification knows the names and refuses the others. */
function readCommandLine(args: readonly string[]): { parameters: Record<string, unknown>; json: boolean } {
  // An option with no value is `true`, so that an unknown flag is named as unknown before anything else.
  const parameters: Record<string, string | string[] | true> = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === "--json") {
      json = true;
      continue;
    }
    const option = /^(--[^=]+)(?:=(.*))?$/s.exec(arg);
    if (!option) refuse(`unexpected argument ${JSON.stringify(arg)}: every value follows its --option`);
    const name = option[1]!;
    let value: string | true | undefined = option[2];
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith("--")) value = true;
      else {
        value = next;
        i++;
      }
    }
    const previous = parameters[name];
    parameters[name] = previous === undefined ? value : [String(previous), String(value)];
  }
  return { parameters, json };
}

function textLines(report: VerifyReport): string[] {
  const lines = [`server seed:      ${report.serverSeed}`, `server seed hash: ${report.serverSeedHash}`];
  if (report.serverSeedHashMatches !== null) {
    lines.push(`--server-seed-hash ${report.serverSeedHashMatches ? "MATCHES" : "DOES NOT MATCH"}`);
  }
  if (report.cards === undefined) return lines;
  const decks = report.decks ?? 1;
  lines.push(
    `client seed:      ${report.clientSeed}`,
    `nonce:            ${report.nonce}`,
    `${report.mode === "draw" ? `draw of ${report.count}` : "shoe"} from ${decks} deck${decks > 1 ? "s" : ""} (top card first):`,
  );
  for (let start = 0; start < report.cards.length; start += 13) {
    lines.push(`  ${String(start + 1).padStart(3)}: ${report.cards.slice(start, start + 13).join(" ")}`);
  }
  return lines;
}

const { parameters, json } = readCommandLine(process.argv.slice(2));
const parsed = parseVerification(parameters, cliSpelling);
if (!parsed.ok) refuse(parsed.problem.message);
const report = runVerification(parsed.verification);
if (json) console.log(JSON.stringify(report, null, 2));
else for (const line of textLines(report)) console.log(line);
if (report.serverSeedHashMatches === false) process.exitCode = 1;
