import { z } from "zod";
import { emptyMessage } from "./common.ts";

/** The lobby: where a signed-in player lands (room name `lobby`). */
export const LOBBY_CLIENT_MESSAGES = {
  /** Asks for the player's profile again (it is also sent on join). */
  profile: emptyMessage,
  /** A broke player's top-up, at most once per cooldown; answered with a fresh `profile`. */
  topUp: emptyMessage,
} as const;

export const profileMessageSchema = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  createdAt: z.string(),
  balanceMinor: z.string(),
  balance: z.string(),
  currency: z.string(),
});
export type ProfileMessage = z.infer<typeof profileMessageSchema>;

export const LOBBY_SERVER_MESSAGES = { profile: profileMessageSchema } as const;

export const LOBBY_ERROR_CODES = ["UNKNOWN_PLAYER", "TOPUP_NOT_NEEDED", "TOPUP_COOLDOWN"] as const;

export const gameOfferSchema = z.strictObject({
  room: z.string(),
  title: z.string(),
  minPlayers: z.number(),
  maxPlayers: z.number(),
});

export const lobbyStateSchema = z.strictObject({
  games: z.array(gameOfferSchema),
  playersOnline: z.number(),
});
export type LobbyStateView = z.infer<typeof lobbyStateSchema>;
