import { z } from "zod";

export interface TournamentConfig {
  /** How often each node's driver looks at the tournaments it may drive. */
  tickMs: number;
  leaseMs: number;
  walletLeaseMs: number;
  /** Recurring templates: `[{ "key": "...", "spec": { create request without times } }]`. */
  recurring: { key: string; spec: Record<string, unknown> }[];
}

const recurringSchema = z
  .array(
    z
      .object({
        key: z.string().regex(/^[a-z0-9-]{1,40}$/, "key: lowercase letters, digits and dashes"),
        spec: z.record(z.string(), z.unknown()),
      })
      .strict(),
  )
  .max(32);

const tournamentEnvSchema = z.object({
  TOURNAMENT_TICK_MS: z.coerce.number().int().min(20).max(60_000).default(1_000),
  TOURNAMENT_LEASE_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(5 * 60_000)
    .default(10_000),
  TOURNAMENT_WALLET_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(10 * 60_000)
    .default(120_000),
  TOURNAMENT_RECURRING: z
    .string()
    .default("[]")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(recurringSchema),
});

/** The tournament settings from the environment, or the problems with them (merged into the config's report). */
export function parseTournamentEnv(env: NodeJS.ProcessEnv): { config?: TournamentConfig; problems: string[] } {
  const parsed = tournamentEnvSchema.safeParse(env);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  if (e.TOURNAMENT_WALLET_LEASE_MS <= 2 * e.TOURNAMENT_LEASE_MS) {
    return { problems: ["TOURNAMENT_WALLET_LEASE_MS: must be more than twice TOURNAMENT_LEASE_MS"] };
  }
  return {
    config: {
      tickMs: e.TOURNAMENT_TICK_MS,
      leaseMs: e.TOURNAMENT_LEASE_MS,
      walletLeaseMs: e.TOURNAMENT_WALLET_LEASE_MS,
      recurring: e.TOURNAMENT_RECURRING,
    },
    problems: [],
  };
}
