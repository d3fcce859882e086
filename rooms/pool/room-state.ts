import { schema, t } from "@colyseus/schema";

/**
 * The synced pool room. The live server seed never appears here (only its hash, until the match ends and it is
 * revealed); ball positions are the settled table in metres (docs/physics.md frame: origin at the centre, the head
 * at −x). Pocket ids and ball numbers are the rules' (docs/eightball.md). Amounts are minor units as strings.
 */
export const PoolSeatView = schema(
  {
    seat: t.number().default(0),
    playerId: t.string().default(""),
    displayName: t.string().default(""),
    connected: t.boolean().default(true),
    /** This player accepted the stake; both must before the break. */
    accepted: t.boolean().default(false),
    /** "solids", "stripes" or "" while the table is open. */
    group: t.string().default(""),
    extensionsLeft: t.number().default(0),
  },
  "PoolSeat",
);

export const PoolBallView = schema(
  {
    id: t.number().default(0),
    x: t.number().default(0),
    y: t.number().default(0),
  },
  "PoolBall",
);

export const PoolRoomState = schema(
  {
    mode: t.string().default("private"),
    code: t.string().default(""),
    /** The match id (its replay is GET /replays/:matchId) and its wallet round. */
    matchId: t.string().default(""),
    /** waiting (for a second player), accepting (the stake), playing, over. */
    phase: t.string().default("waiting"),
    table: t.string().default("9ft"),
    stakeMinor: t.string().default("0"),
    rakeBps: t.number().default(0),
    seats: t.map(PoolSeatView),
    /** The rules' phase: break, openTable, groupsAssigned, awaitingDecision, gameOver. */
    rulesPhase: t.string().default("break"),
    rack: t.number().default(1),
    breaker: t.number().default(-1),
    /** Seat to shoot (or to decide while a decision is pending). */
    shooter: t.number().default(-1),
    /** "behindHeadString", "anywhere" or "" (the cue ball is played where it lies). */
    ballInHand: t.string().default(""),
    /** The shooter is on the 8 and must call its pocket. */
    mustCallPocket: t.boolean().default(false),
    /** Pending decision: its reason ("" when none) and who may re-break. */
    decisionReason: t.string().default(""),
    rerackBreakers: t.array("number"),
    /** Balls on the bed, at rest. The cue ball (0) is absent while in hand and not yet placed. */
    balls: t.array(PoolBallView),
    /** Object balls down, in the order they went down. */
    ballsDown: t.array("number"),
    shotCount: t.number().default(0),
    /** True from a shot's acceptance until its animation window closes: no shot or decision is taken. */
    shotInProgress: t.boolean().default(false),
    /** Shot clock (ms since the epoch), or 0 when none runs. */
    deadline: t.number().default(0),
    /** When the match-time cap runs out, or 0 before the break. */
    matchDeadline: t.number().default(0),
    winnerSeat: t.number().default(-1),
    /** eightBallInCalledPocket, eightBallPocketedEarly, …, forfeit, concede, timeCap, abandoned. */
    endReason: t.string().default(""),
    serverSeedHash: t.string().default(""),
    clientSeed: t.string().default(""),
    /** Revealed once the match is over. */
    serverSeed: t.string().default(""),
  },
  "PoolRoom",
);

export type PoolRoomStateType = InstanceType<typeof PoolRoomState>;
