import { ServerError } from "@colyseus/core";
import { z } from "zod";
import {
  type BlackjackRules,
  isRulePresetName,
  RULE_PRESETS,
  rulesFromPreset,
  validateRules,
} from "../../simulation/blackjack/index.ts";
import { normalizeChallengeCode } from "../draws/challenge-code.ts";
import { parseOptions, refuseOptions, tierOf, unusedCode } from "../room-options.ts";

const seconds = (fallback: number, max: number) => z.number().min(0.05).max(max).default(fallback);
const minorUnits = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]);

/** What a client may ask for when it creates a table; anything else is ignored, anything out of range refused. */
export const tableOptionsSchema = z.object({
  /** Set by matchmaking (never by the client): "standard", or the custom settings a private table was made with. */
  tier: z.string().max(400).optional(),
  /** A custom table's code, issued by matchmaking when the table is made. */
  code: z.string().max(16).optional(),
  rules: z
    .string()
    .refine(isRulePresetName, { message: `rules must be one of ${Object.keys(RULE_PRESETS).join(", ")}` })
    .default("strip-6d-s17-das-ls"),
  minBetMinor: minorUnits.optional(),
  maxBetMinor: minorUnits.optional(),
  bettingSeconds: seconds(15, 120),
  insuranceSeconds: seconds(10, 60),
  actionSeconds: seconds(20, 120),
  resultSeconds: seconds(4, 30),
  reconnectSeconds: seconds(30, 300),
  /** How often state patches go out; fast bots (tests, load tests) ask for less than the default 50 ms. */
  patchRateMs: z.number().int().min(5).max(1000).default(50),
  /** Messages a client may send per second before it is disconnected (flood limit); bots playing flat out need more. */
  maxMessagesPerSecond: z.number().int().min(5).max(200).default(20),
});

export interface TableOptions {
  tier: string;
  /** Custom tables only: the code that finds them; standard tables have none. */
  code: string | null;
  preset: string;
  rules: BlackjackRules;
  bettingMs: number;
  insuranceMs: number;
  actionMs: number;
  resultMs: number;
  reconnectSeconds: number;
  patchRateMs: number;
  maxMessagesPerSecond: number;
}

export function parseTableOptions(input: unknown): TableOptions {
  const o = parseOptions(tableOptionsSchema, input);
  const overrides: Partial<BlackjackRules> = {};
  if (o.minBetMinor !== undefined) overrides.minBet = BigInt(o.minBetMinor);
  if (o.maxBetMinor !== undefined) overrides.maxBet = BigInt(o.maxBetMinor);
  const rules = rulesFromPreset(o.rules as keyof typeof RULE_PRESETS, overrides);
  const problems = validateRules(rules);
  if (problems.length > 0) refuseOptions(problems.join("; "));
  const tier = tierOf(customSettings(o), DEFAULT_SETTINGS);
  if (o.code !== undefined && tier === "standard") {
    throw new ServerError(404, "NO_SUCH_TABLE: no open table has this code");
  }
  return {
    tier,
    code: o.code ?? null,
    preset: o.rules,
    rules,
    bettingMs: o.bettingSeconds * 1000,
    insuranceMs: o.insuranceSeconds * 1000,
    actionMs: o.actionSeconds * 1000,
    resultMs: o.resultSeconds * 1000,
    reconnectSeconds: o.reconnectSeconds,
    patchRateMs: o.patchRateMs,
    maxMessagesPerSecond: o.maxMessagesPerSecond,
  };
}

type ParsedTableOptions = z.infer<typeof tableOptionsSchema>;

/** The settings that make a table custom when they differ from the defaults (the rules and the minimum do not). */
function customSettings(o: ParsedTableOptions): Record<string, number | string> {
  return {
    maxBetMinor: o.maxBetMinor === undefined ? "" : String(o.maxBetMinor),
    bettingSeconds: o.bettingSeconds,
    insuranceSeconds: o.insuranceSeconds,
    actionSeconds: o.actionSeconds,
    resultSeconds: o.resultSeconds,
    reconnectSeconds: o.reconnectSeconds,
    patchRateMs: o.patchRateMs,
    maxMessagesPerSecond: o.maxMessagesPerSecond,
  };
}

const DEFAULT_SETTINGS = customSettings(tableOptionsSchema.parse({}));

/**
 * What a client's request to join or create a table becomes before matchmaking sees it. A code finds a custom table
 * and nothing else. Otherwise the table's rules and minimum bet (a number, however the client wrote it) pick a
 * standard table; custom settings make a new private table with a code of its own, which quick-join never finds.
 */
export async function tableMatchmakingOptions(raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  const spectate = raw.spectate === true;
  if (raw.code !== undefined) return { code: normalizeChallengeCode(raw.code) ?? "", spectate };
  const { tier: _tier, ...requested } = raw;
  const options = parseTableOptions(requested);
  const base = { rules: options.preset, minBetMinor: Number(options.rules.minBet), spectate };
  if (options.tier === "standard") return { ...base, tier: "standard" };
  return { ...requested, ...base, tier: options.tier, code: await unusedCode("blackjack") };
}
