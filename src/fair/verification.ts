// One verification, two doors: `GET /fair/verify` (parameters as written here) and `npm run verify` (the same names
// in kebab case: serverSeedHash is --server-seed-hash). Both parse with parseVerification and answer with
// runVerification, so a parameter means the same thing, and is refused the same way, on each.
import { cardToString, MAX_DECKS, MIN_DECKS } from "../../simulation/cards/index.ts";
import {
  CLIENT_SEED_PATTERN,
  combineClientSeeds,
  hashServerSeed,
  MAX_NONCE,
  recomputeDraw,
  recomputeShoe,
  SERVER_SEED_PATTERN,
  verifyCommitment,
} from "../../simulation/rng/index.ts";

export const VERIFY_MODES = ["shoe", "draw", "hash"] as const;
export type VerifyMode = (typeof VERIFY_MODES)[number];

/** Every parameter, by the name the rooms use for the same value (states, `seedRevealed`, round attempts). */
export const VERIFY_PARAMETERS = [
  "mode",
  "serverSeed",
  "serverSeedHash",
  "clientSeed",
  "clientSeeds",
  "nonce",
  "decks",
  "count",
] as const;
export type VerifyParameter = (typeof VERIFY_PARAMETERS)[number];

/** The cards of one attempt in the draws game. */
export const DEFAULT_DRAW_COUNT = 2;
/** A blackjack table has 7 seats; this leaves room and bounds the work one request can ask for. */
const CLIENT_SEEDS_MAX = 16;
const SERVER_SEED_HASH_PATTERN = /^[0-9a-fA-F]{64}$/;
const DECIMAL_PATTERN = /^\d{1,16}$/;

export interface Verification {
  mode: VerifyMode;
  serverSeed: string;
  /** The commitment shown before play, lower case; null when not given. */
  serverSeedHash: string | null;
  /** The client seed the shuffle used (clientSeeds combined as the tables do); null in hash mode. */
  clientSeed: string | null;
  nonce: number | null;
  decks: number | null;
  /** Cards of a draw; null for a whole shoe and in hash mode. */
  count: number | null;
}

export interface VerifyProblem {
  code: "UNKNOWN_PARAMETER" | "MISSING_PARAMETER" | "BAD_PARAMETER";
  /** The parameter at fault, as the caller spells it. */
  field: string;
  message: string;
}

export interface VerifyReport {
  mode: VerifyMode;
  serverSeed: string;
  /** SHA-256 of serverSeed: what the commitment shown before play must be. */
  serverSeedHash: string;
  /** Whether the given serverSeedHash is that hash; null when none was given. */
  serverSeedHashMatches: boolean | null;
  clientSeed?: string;
  nonce?: number;
  decks?: number;
  count?: number;
  /** Top card first: `As`, `Td`, `7h`, ... (docs/fairness.md). */
  cards?: string[];
}

/** How a parameter's name is written to the caller: `serverSeedHash` on the route, `--server-seed-hash` on the CLI. */
export type Spelling = (parameter: VerifyParameter) => string;

export const routeSpelling: Spelling = (parameter) => parameter;
export const cliSpelling: Spelling = (parameter) => `--${kebabCase(parameter)}`;

export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

type Parsed = { ok: true; verification: Verification } | { ok: false; problem: VerifyProblem };

/**
 * Checks every parameter: an unknown one, one given twice, one that does not apply to the mode, a missing or
 * malformed one is refused, naming it. `input` holds the given parameters under the names the caller used, which
 * must be the names as `spell` writes them.
 */
export function parseVerification(input: Record<string, unknown>, spell: Spelling): Parsed {
  const known = new Set(VERIFY_PARAMETERS.map(spell));
  for (const name of Object.keys(input)) {
    if (!known.has(name)) return refuse("UNKNOWN_PARAMETER", name, unknownMessage(name, spell));
  }
  const text: Partial<Record<VerifyParameter, string>> = {};
  for (const parameter of VERIFY_PARAMETERS) {
    const value = input[spell(parameter)];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      return refuse("BAD_PARAMETER", spell(parameter), `${spell(parameter)} is given more than once`);
    }
    if (value === true) return refuse("BAD_PARAMETER", spell(parameter), `${spell(parameter)} needs a value`);
    if (typeof value !== "string") return refuse("BAD_PARAMETER", spell(parameter), `${spell(parameter)} must be text`);
    text[parameter] = value;
  }
  const problem = (code: VerifyProblem["code"], parameter: VerifyParameter, message: string) =>
    refuse(code, spell(parameter), `${spell(parameter)} ${message}`);

  const mode = (text.mode ?? "shoe") as VerifyMode;
  if (!VERIFY_MODES.includes(mode)) return problem("BAD_PARAMETER", "mode", `must be ${VERIFY_MODES.join(", ")}`);

  if (text.serverSeed === undefined) return problem("MISSING_PARAMETER", "serverSeed", "is required");
  if (!SERVER_SEED_PATTERN.test(text.serverSeed)) {
    return problem("BAD_PARAMETER", "serverSeed", "must be 64 lowercase hex characters");
  }
  let serverSeedHash: string | null = null;
  if (text.serverSeedHash !== undefined) {
    if (!SERVER_SEED_HASH_PATTERN.test(text.serverSeedHash)) {
      return problem("BAD_PARAMETER", "serverSeedHash", "must be 64 hex characters");
    }
    serverSeedHash = text.serverSeedHash.toLowerCase();
  }
  const base = { mode, serverSeed: text.serverSeed, serverSeedHash };

  if (mode === "hash") {
    for (const parameter of ["clientSeed", "clientSeeds", "nonce", "decks", "count"] as const) {
      if (text[parameter] !== undefined) {
        return problem("BAD_PARAMETER", parameter, "does not apply to mode hash (it checks a seed against its hash)");
      }
    }
    return { ok: true, verification: { ...base, clientSeed: null, nonce: null, decks: null, count: null } };
  }

  let clientSeed: string;
  if (text.clientSeed !== undefined && text.clientSeeds !== undefined) {
    return problem("BAD_PARAMETER", "clientSeeds", `and ${spell("clientSeed")} cannot both be given`);
  }
  if (text.clientSeeds !== undefined) {
    const combined = combinedClientSeed(text.clientSeeds);
    if (combined === null) {
      return problem(
        "BAD_PARAMETER",
        "clientSeeds",
        `must be up to ${CLIENT_SEEDS_MAX} seat=seed pairs joined by commas (0=alice,3=bob), each seat once`,
      );
    }
    clientSeed = combined;
  } else if (text.clientSeed !== undefined) {
    if (!CLIENT_SEED_PATTERN.test(text.clientSeed)) {
      return problem("BAD_PARAMETER", "clientSeed", "must be 1 to 64 of A-Z a-z 0-9 _ -");
    }
    clientSeed = text.clientSeed;
  } else {
    return problem("MISSING_PARAMETER", "clientSeed", `(or ${spell("clientSeeds")}) is required`);
  }

  if (text.nonce === undefined) return problem("MISSING_PARAMETER", "nonce", "is required");
  const nonce = wholeNumber(text.nonce, 0, MAX_NONCE);
  if (nonce === null) return problem("BAD_PARAMETER", "nonce", "must be a whole number 0 or more");

  if (text.decks === undefined && mode === "shoe") {
    return problem("MISSING_PARAMETER", "decks", `is required for a shoe (${MIN_DECKS} to ${MAX_DECKS})`);
  }
  const decks = wholeNumber(text.decks ?? "1", MIN_DECKS, MAX_DECKS);
  if (decks === null) return problem("BAD_PARAMETER", "decks", `must be ${MIN_DECKS} to ${MAX_DECKS}`);

  let count: number | null = null;
  if (mode === "draw") {
    count = wholeNumber(text.count ?? String(DEFAULT_DRAW_COUNT), 1, decks * 52);
    if (count === null) return problem("BAD_PARAMETER", "count", `must be 1 to ${decks * 52} for ${decks} deck(s)`);
  } else if (text.count !== undefined) {
    return problem("BAD_PARAMETER", "count", "applies only to mode draw (a shoe is every card)");
  }
  return { ok: true, verification: { ...base, clientSeed, nonce, decks, count } };
}

/** Recomputes the cards and checks the commitment. */
export function runVerification(verification: Verification): VerifyReport {
  const { mode, serverSeed, serverSeedHash, clientSeed, nonce, decks, count } = verification;
  const report: VerifyReport = {
    mode,
    serverSeed,
    serverSeedHash: hashServerSeed(serverSeed),
    serverSeedHashMatches: serverSeedHash === null ? null : verifyCommitment(serverSeed, serverSeedHash),
  };
  if (mode === "hash" || clientSeed === null || nonce === null || decks === null) return report;
  const seeds = { serverSeed, clientSeed, nonce };
  const cards =
    mode === "draw" ? recomputeDraw(seeds, count ?? DEFAULT_DRAW_COUNT, decks) : recomputeShoe(seeds, decks);
  return {
    ...report,
    clientSeed,
    nonce,
    decks,
    ...(mode === "draw" ? { count: cards.length } : {}),
    cards: cards.map(cardToString),
  };
}

function refuse(code: VerifyProblem["code"], field: string, message: string): Parsed {
  return { ok: false, problem: { code, field, message } };
}

function unknownMessage(name: string, spell: Spelling): string {
  // "--server_seed", "serverseed", "--serverSeed": the parameter meant, in the caller's spelling; and the names an
  // older command line used.
  const squash = (value: string) => value.toLowerCase().replace(/[-_]/g, "");
  const near = VERIFY_PARAMETERS.find((parameter) => squash(parameter) === squash(name));
  const meant = near
    ? spell(near)
    : /commit/i.test(name)
      ? spell("serverSeedHash")
      : ["hash", "draw", "shoe"].includes(squash(name))
        ? `${spell("mode")} ${squash(name)}`
        : undefined;
  const hint = meant ? ` (did you mean ${meant}?)` : "";
  return `unknown parameter ${name}${hint}; the parameters are ${VERIFY_PARAMETERS.map(spell).join(", ")}`;
}

function wholeNumber(value: string, min: number, max: number): number | null {
  if (!DECIMAL_PATTERN.test(value)) return null;
  const number = Number(value);
  return Number.isSafeInteger(number) && number >= min && number <= max ? number : null;
}

function combinedClientSeed(list: string): string | null {
  const parts = list.split(",");
  if (parts.length > CLIENT_SEEDS_MAX) return null;
  const entries: { seat: number; clientSeed: string }[] = [];
  for (const part of parts) {
    const match = /^(\d{1,3})=(.+)$/.exec(part);
    if (!match || !CLIENT_SEED_PATTERN.test(match[2]!)) return null;
    const seat = Number(match[1]);
    if (entries.some((entry) => entry.seat === seat)) return null;
    entries.push({ seat, clientSeed: match[2]! });
  }
  return combineClientSeeds(entries);
}
