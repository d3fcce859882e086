import * as blackjack from "./blackjack.ts";
import * as common from "./common.ts";
import * as draws from "./draws.ts";
import * as lobby from "./lobby.ts";
import * as pool from "./pool.ts";
import * as tournament from "./tournament.ts";

export * from "./common.ts";

/** Each room's wire, by room name: what clients send, what the room sends, its state and its refusals. */
export const ROOM_PROTOCOLS = {
  lobby: {
    clientMessages: lobby.LOBBY_CLIENT_MESSAGES,
    serverMessages: lobby.LOBBY_SERVER_MESSAGES,
    state: lobby.lobbyStateSchema,
    errorCodes: lobby.LOBBY_ERROR_CODES,
  },
  blackjack: {
    clientMessages: blackjack.BLACKJACK_CLIENT_MESSAGES,
    serverMessages: blackjack.BLACKJACK_SERVER_MESSAGES,
    state: blackjack.blackjackStateSchema,
    errorCodes: blackjack.BLACKJACK_ERROR_CODES,
  },
  draws: {
    clientMessages: draws.DRAWS_CLIENT_MESSAGES,
    serverMessages: draws.DRAWS_SERVER_MESSAGES,
    state: draws.drawsStateSchema,
    errorCodes: draws.DRAWS_ERROR_CODES,
  },
  pool: {
    clientMessages: pool.POOL_CLIENT_MESSAGES,
    serverMessages: pool.POOL_SERVER_MESSAGES,
    state: pool.poolStateSchema,
    errorCodes: pool.POOL_ERROR_CODES,
  },
  tournament: {
    clientMessages: tournament.TOURNAMENT_CLIENT_MESSAGES,
    serverMessages: tournament.TOURNAMENT_SERVER_MESSAGES,
    state: tournament.tournamentStateSchema,
    errorCodes: tournament.TOURNAMENT_ERROR_CODES,
  },
} as const;

export const SHARED_ERROR_CODES = { room: common.COMMON_ERROR_CODES, join: common.JOIN_ERROR_CODES } as const;
export { blackjack, draws, lobby, pool, tournament };
