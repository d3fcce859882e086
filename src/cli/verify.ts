// Provably-fair verifier: recompute a shoe or a draw from revealed seeds, and check a seed against its commitment.
//   npm run verify -- --server-seed HEX64 --client-seed SEED --nonce N --decks 6 [--json]
//   npm run verify -- --server-seed HEX64 --client-seed SEED --nonce N --draw [--count 2] [--decks 1] [--json]
//   npm run verify -- --hash --server-seed HEX64 [--commitment HEX64] [--json]
// --client-seeds "0=alice,3=bob" (seat=seed list) may stand in for --client-seed: they are combined as the tables do.
// --commitment also works with the shoe and draw modes. Exit status 1 when a commitment does not match.
import { parseArgs } from "node:util";
import { cardToString } from "../../simulation/cards/index.ts";
import {
  combineClientSeeds,
  hashServerSeed,
  isClientSeed,
  isNonce,
  isServerSeed,
  recomputeDraw,
  recomputeShoe,
  verifyCommitment,
} from "../../simulation/rng/index.ts";

function usage(message: string): never {
  console.error(`verify: ${message}`);
  console.error(
    "usage: npm run verify -- --server-seed HEX64 (--client-seed SEED | --client-seeds 0=a,3=b) --nonce N [--decks 1-8] [--draw [--count K]] [--commitment HEX64] [--json]\n" +
      "       npm run verify -- --hash --server-seed HEX64 [--commitment HEX64] [--json]",
  );
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        "server-seed": { type: "string" },
        "client-seed": { type: "string" },
        "client-seeds": { type: "string" },
        nonce: { type: "string" },
        decks: { type: "string" },
        draw: { type: "boolean", default: false },
        count: { type: "string", default: "1" },
        hash: { type: "boolean", default: false },
        commitment: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    // An unknown or malformed option (--help included) gets the usage, not a stack trace.
    return usage(error instanceof Error ? error.message : String(error));
  }
}

const { values } = parseCommandLine();

const serverSeed = values["server-seed"] ?? usage("--server-seed is required");
if (!isServerSeed(serverSeed)) usage("--server-seed must be 64 lowercase hex characters");
const serverSeedHash = hashServerSeed(serverSeed);
const commitment = values.commitment?.toLowerCase();
const commitmentOk = commitment === undefined ? null : verifyCommitment(serverSeed, commitment);

function print(report: Record<string, unknown>, lines: string[]): void {
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else for (const line of lines) console.log(line);
  if (commitmentOk === false) process.exitCode = 1;
}

const commitmentLine =
  commitmentOk === null ? [] : [`commitment:       ${commitmentOk ? "MATCHES" : "DOES NOT MATCH"} ${commitment}`];

if (values.hash) {
  print({ serverSeed, serverSeedHash, commitment: commitment ?? null, commitmentOk }, [
    `server seed:      ${serverSeed}`,
    `sha256(seed):     ${serverSeedHash}`,
    ...commitmentLine,
  ]);
} else {
  let clientSeed: string;
  if (values["client-seeds"] !== undefined) {
    const entries = values["client-seeds"].split(",").map((part) => {
      const [seat, seed] = part.split("=");
      if (seed === undefined || !/^\d+$/.test(seat) || !isClientSeed(seed)) usage(`bad --client-seeds entry "${part}"`);
      return { seat: Number(seat), clientSeed: seed };
    });
    clientSeed = combineClientSeeds(entries);
  } else {
    clientSeed = values["client-seed"] ?? usage("--client-seed or --client-seeds is required");
    if (!isClientSeed(clientSeed)) usage("--client-seed must match [A-Za-z0-9_-]{1,64}");
  }
  const nonce = Number(values.nonce ?? usage("--nonce is required"));
  if (!isNonce(nonce)) usage("--nonce must be a non-negative integer");
  const decks = Number(values.decks ?? (values.draw ? "1" : usage("--decks is required for a shoe")));
  if (!Number.isInteger(decks) || decks < 1 || decks > 8) usage("--decks must be 1..8");
  const seeds = { serverSeed, clientSeed, nonce };
  const count = Number(values.count);
  if (values.draw && (!Number.isInteger(count) || count < 1 || count > decks * 52)) {
    usage(`--count must be 1..${decks * 52}`);
  }
  const cards = values.draw ? recomputeDraw(seeds, count, decks) : recomputeShoe(seeds, decks);
  const names = cards.map(cardToString);
  const lines = [
    `server seed:      ${serverSeed}`,
    `sha256(seed):     ${serverSeedHash}`,
    ...commitmentLine,
    `client seed:      ${clientSeed}`,
    `nonce:            ${nonce}`,
    `${values.draw ? `draw of ${count}` : "shoe"} from ${decks} deck${decks > 1 ? "s" : ""} (top card first):`,
  ];
  for (let start = 0; start < names.length; start += 13) {
    lines.push(`  ${String(start + 1).padStart(3)}: ${names.slice(start, start + 13).join(" ")}`);
  }
  print(
    {
      serverSeed,
      serverSeedHash,
      commitment: commitment ?? null,
      commitmentOk,
      clientSeed,
      nonce,
      decks,
      mode: values.draw ? "draw" : "shoe",
      cards: names,
      cardIds: cards,
    },
    lines,
  );
}
