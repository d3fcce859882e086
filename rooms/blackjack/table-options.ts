import { ServerError } from "@colyseus/core";
import type { z } from "zod";
import { tableOptionsSchema as protocolTableOptions } from "../../protocol/blackjack.ts";
import {
  type BlackjackRules,
  isRulePresetName,
  RULE_PRESETS,
  rulesFromPreset,
  validateRules,
} from "../../simulation/blackjack/index.ts";
import { normalizeChallengeCode } from "../challenge-code.ts";
import { parseOptions, refuseOptions, tierOf, unusedCode } from "../room-options.ts";

/** The published options (protocol/blackjack.ts), with the rule preset checked against the engine's presets. */
export const tableOptionsSchema = protocolTableOptions.extend({
  rules: protocolTableOptions.shape.rules.refine(isRulePresetName, {
    message: `rules must be one of ${Object.keys(RULE_PRESETS).join(", ")}`,
  }),
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

export interface BlackjackJoinOptions {
  /** Watch without taking a seat. */
  spectate?: boolean;
}
