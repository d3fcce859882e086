import { schema, t } from "@colyseus/schema";

/**
 * The lobby of one tournament, public to everyone in it: where registration stands and the bracket. Seat
 * reservations are never in the state: each goes only to its player, as a `yourMatch` message.
 */
export const TournamentPlayerView = schema(
  {
    playerId: t.string().default(""),
    displayName: t.string().default(""),
    seed: t.number().default(-1),
    place: t.number().default(0),
    prizeMinor: t.string().default("0"),
  },
  "TournamentPlayer",
);

export const TournamentMatchView = schema(
  {
    matchId: t.number().default(0),
    /** -1: the third-place match. */
    round: t.number().default(0),
    slot: t.number().default(0),
    player0: t.string().default(""),
    player1: t.string().default(""),
    /** True where the slot is a bye. */
    bye0: t.boolean().default(false),
    bye1: t.boolean().default(false),
    status: t.string().default("locked"),
    winner: t.string().default(""),
    reason: t.string().default(""),
    showDeadline: t.number().default(0),
  },
  "TournamentMatch",
);

export const TournamentRoomState = schema(
  {
    tournamentId: t.string().default(""),
    name: t.string().default(""),
    game: t.string().default(""),
    status: t.string().default(""),
    entryFeeMinor: t.string().default("0"),
    prizePoolMinor: t.string().default("0"),
    seatsMin: t.number().default(0),
    seatsMax: t.number().default(0),
    registered: t.number().default(0),
    /** Ms since the epoch of the start, 0 for start when full. */
    startsAt: t.number().default(0),
    version: t.number().default(0),
    players: t.array(TournamentPlayerView),
    matches: t.array(TournamentMatchView),
  },
  "TournamentRoom",
);
export type TournamentRoomStateType = InstanceType<typeof TournamentRoomState>;
