import { schema, t } from "@colyseus/schema";
import type { PublicDrawsView, RoundResult } from "../../simulation/draws/index.ts";

/**
 * The synced room is built only from the engine's public view (publicDrawsView), which holds the seed's hash but
 * never the server seed; the live seed state stays in the engine state, a room field that is never synced. Drawn
 * cards are public: the card a seat gets is fixed by the seeds before anyone presses draw, and no decision is left
 * once stakes are held, so seeing the other card first is worth nothing. Cards are ids 0..51 (suit * 13 + rank - 1,
 * clubs, diamonds, hearts, spades) or -1 for not drawn yet; amounts are minor units as decimal strings.
 */
export const DrawSeatView = schema(
  {
    seat: t.number().default(0),
    playerId: t.string().default(""),
    displayName: t.string().default(""),
    connected: t.boolean().default(true),
    /** This round's stake offer, or "0" when none is on the table. */
    offerMinor: t.string().default("0"),
    /** Rounds of this match whose pot went to this seat. */
    wins: t.number().default(0),
    /** Net result of this seat's last settled round. */
    lastNetMinor: t.string().default("0"),
  },
  "DrawSeat",
);

/** One shuffle of one deck: seat 0 holds card 0 and seat 1 card 1 of the shuffle for (server seed, clientSeed, nonce). */
export const DrawAttemptView = schema(
  {
    serverSeedHash: t.string().default(""),
    clientSeed: t.string().default(""),
    nonce: t.number().default(0),
    card0: t.number().default(-1),
    card1: t.number().default(-1),
    auto0: t.boolean().default(false),
    auto1: t.boolean().default(false),
  },
  "DrawAttempt",
);

export const DrawRevealedSeedView = schema(
  {
    serverSeed: t.string().default(""),
    serverSeedHash: t.string().default(""),
    clientSeed: t.string().default(""),
    nextNonce: t.number().default(0),
  },
  "DrawRevealedSeed",
);

export const DrawRoomState = schema(
  {
    /** "private", "quick" or "tournament". */
    mode: t.string().default("private"),
    /** The private challenge's code ("" otherwise). */
    code: t.string().default(""),
    /** The engine's phase: awaiting_stakes, awaiting_draws, resolved (money moving) or settled. */
    phase: t.string().default("awaiting_stakes"),
    /** True while both seats are taken; nothing can be staked before. */
    ready: t.boolean().default(false),
    /** Matches played in this room, from 1 (a rematch after a finished match starts the next). */
    match: t.number().default(1),
    round: t.number().default(1),
    /** The wallet round of the round in play or last played ("" before the first stakes are held). */
    roundId: t.string().default(""),
    /** The stake held this round ("0" while none is held). */
    stakeMinor: t.string().default("0"),
    minStakeMinor: t.string().default("0"),
    maxStakeMinor: t.string().default("0"),
    rakeBps: t.number().default(0),
    maxRedraws: t.number().default(0),
    /** 0 for open-ended play. */
    bestOf: t.number().default(0),
    maxRounds: t.number().default(0),
    pushes: t.number().default(0),
    /** Seats by index "0" and "1"; an empty seat has no entry. */
    seats: t.map(DrawSeatView),
    /** This round's attempts; the last one is being drawn. */
    attempts: t.array(DrawAttemptView),
    /** Outcome of the last resolved round: "win", "push", "forfeit" or "". */
    lastOutcome: t.string().default(""),
    lastWinnerSeat: t.number().default(-1),
    matchOver: t.boolean().default(false),
    matchWinnerSeat: t.number().default(-1),
    /** "series", "forfeit", "maxRounds" or "". */
    matchReason: t.string().default(""),
    /** When the draw timer runs out (ms since the epoch), or 0 when none runs. */
    deadline: t.number().default(0),
    serverSeedHash: t.string().default(""),
    clientSeed: t.string().default(""),
    /** The nonce the next attempt will use. */
    nonce: t.number().default(0),
    revealedSeeds: t.array(DrawRevealedSeedView),
  },
  "DrawRoom",
);

export type DrawRoomStateType = InstanceType<typeof DrawRoomState>;

/** Copies the engine's public view onto the synced state (names, presence and seeds are the room's to set). */
export function syncDraws(state: DrawRoomStateType, view: PublicDrawsView): void {
  state.phase = view.phase;
  state.round = view.round;
  state.stakeMinor = (view.stakeMinor ?? 0n).toString();
  state.minStakeMinor = view.config.minStakeMinor.toString();
  state.maxStakeMinor = view.config.maxStakeMinor.toString();
  state.rakeBps = view.config.rakeBps;
  state.maxRedraws = view.config.maxRedraws;
  state.bestOf = view.config.bestOf ?? 0;
  state.maxRounds = view.config.maxRounds;
  state.pushes = view.pushes;
  state.matchOver = view.match.over;
  state.matchWinnerSeat = view.match.winnerSeat ?? -1;
  state.matchReason = view.match.reason ?? "";
  state.serverSeedHash = view.seeds.serverSeedHash;
  state.clientSeed = view.seeds.clientSeed;
  state.nonce = view.seeds.nonce;
  for (const [key, seat] of state.seats) {
    const index = Number(key) as 0 | 1;
    seat.offerMinor = (view.offers[index] ?? 0n).toString();
    seat.wins = view.wins[index];
  }
  // Attempts only grow within a round, and a drawn card never changes: update in place, so a patch carries only
  // what changed.
  if (state.attempts.length > view.attempts.length) state.attempts.clear();
  view.attempts.forEach((attempt, index) => {
    let item = state.attempts[index];
    if (!item || item.nonce !== attempt.nonce || item.serverSeedHash !== attempt.serverSeedHash) {
      item = new DrawAttemptView({
        serverSeedHash: attempt.serverSeedHash,
        clientSeed: attempt.clientSeed,
        nonce: attempt.nonce,
      });
      if (index < state.attempts.length) state.attempts[index] = item;
      else state.attempts.push(item);
    }
    item.card0 = attempt.cards[0] ?? -1;
    item.card1 = attempt.cards[1] ?? -1;
    item.auto0 = attempt.auto[0];
    item.auto1 = attempt.auto[1];
  });
}

/** A settled round's outcome and each seat's net, shown until the next one settles. */
export function showSettled(state: DrawRoomStateType, result: RoundResult): void {
  for (const seat of result.stakesHeld ? result.settlement.seats : []) {
    const view = state.seats.get(String(seat.seat));
    if (view) view.lastNetMinor = seat.netMinor.toString();
  }
  state.lastOutcome = result.outcome;
  state.lastWinnerSeat = result.winnerSeat ?? -1;
}
