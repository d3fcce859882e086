import { z } from "zod";
import {
  type BlackjackRules,
  isRulePresetName,
  RULE_PRESETS,
  rulesFromPreset,
  validateRules,
} from "../../simulation/blackjack/index.ts";

const seconds = (fallback: number, max: number) => z.number().min(0.05).max(max).default(fallback);
const minorUnits = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]);

/** What a client may ask for when it creates a table; anything else is ignored, anything out of range refused. */
export const tableOptionsSchema = z.object({
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
  const parsed = tableOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new RangeError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  const o = parsed.data;
  const overrides: Partial<BlackjackRules> = {};
  if (o.minBetMinor !== undefined) overrides.minBet = BigInt(o.minBetMinor);
  if (o.maxBetMinor !== undefined) overrides.maxBet = BigInt(o.maxBetMinor);
  const rules = rulesFromPreset(o.rules as keyof typeof RULE_PRESETS, overrides);
  const problems = validateRules(rules);
  if (problems.length > 0) throw new RangeError(problems.join("; "));
  return {
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
