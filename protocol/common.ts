import { z } from "zod";

/**
 * What every room's wire shares: the error reply and its codes, amounts, seeds. Nothing here imports the server:
 * clients, bots and tests import protocol/ as it is.
 */

/** A count of minor units, as a JSON number or a string of digits: either way it is matched as a number. */
export const wholeNumber = z.preprocess(
  (v) => (typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v),
  z.number(),
);

/** Amounts a client sends: minor units as a string of digits or a safe integer. Amounts it receives are strings. */
export const amountMinorSchema = (name: string, digits = 15) =>
  z.union([
    z.string().regex(new RegExp(`^\\d{1,${digits}}$`), `${name} must be a whole number of minor units`),
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  ]);

export const PLAYER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The two player ids a tournament match is for, seat 0 first. */
export const tournamentPlayersSchema = z
  .array(z.string().regex(PLAYER_ID_PATTERN))
  .length(2)
  .refine((ids) => ids[0] !== ids[1], { message: "the two players must differ" });

/** A duration option in seconds with its default and bounds. */
export const secondsOption = (fallback: number, min: number, max: number) =>
  z.number().min(min).max(max).default(fallback);

export const clientSeedMessage = z.object({ seed: z.string().max(64) });
