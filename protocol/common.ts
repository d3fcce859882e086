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

/** The reply to every refused intent: the intent's name (when it is a plain identifier, else "?"), a code, a sentence. */
export const errorMessageSchema = z.object({ type: z.string(), code: z.string(), message: z.string() });
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

/** Codes any room may answer with, besides its own. */
export const COMMON_ERROR_CODES = [
  "BAD_MESSAGE",
  "UNKNOWN_MESSAGE",
  "BUSY",
  "INTERNAL",
  "DATABASE_UNAVAILABLE",
  "NOT_SEATED",
  "BAD_CLIENT_SEED",
  "INSUFFICIENT_FUNDS",
] as const;

/** Codes a join or create is refused with (the HTTP matchmaking answer's message starts with the code). */
export const JOIN_ERROR_CODES = [
  "BAD_OPTIONS",
  "TOKEN_MISSING",
  "TOKEN_INVALID",
  "TOKEN_EXPIRED",
  "NOT_YOUR_SEAT",
  "ALREADY_IN_ROOM",
  "ROOM_FULL",
  "WRONG_CODE",
  "NO_CODE",
] as const;

export const revealedSeedSchema = z.strictObject({
  serverSeed: z.string(),
  serverSeedHash: z.string(),
  clientSeed: z.string(),
  nextNonce: z.number(),
});
export type RevealedSeedView = z.infer<typeof revealedSeedSchema>;

/** A message that takes no fields. */
export const emptyMessage = z.object({});

/** Seat numbers a 1v1 room's intents may name (they only act for the sender's own seat). */
export const seatOfTwo = z.union([z.literal(0), z.literal(1)]);

/**
 * A state as `@colyseus/sdk` decodes it: a record of the protocol's state (a MapSchema) becomes a Map, arrays stay
 * arrays. `client.joinOrCreate<Synced<BlackjackStateView>>("blackjack")` types `room.state` with it.
 */
export type Synced<T> = T extends readonly (infer U)[]
  ? Synced<U>[]
  : T extends object
    ? string extends keyof T
      ? Map<string, Synced<T[string]>>
      : { [K in keyof T]: Synced<T[K]> }
    : T;
