import { schema, t } from "@colyseus/schema";
import type { PublicTableView, RoundResult } from "../../simulation/blackjack/index.ts";

/**
 * The synced table is built only from the engine's public view, which never holds the hole card before it is turned
 * or any undealt card; the shoe and the server seed live in room fields that are never synced. Nothing at a
 * blackjack table is private to one seat (player cards are dealt face up), so every client gets the same state.
 * Cards are ids 0..51 (suit * 13 + rank - 1, clubs, diamonds, hearts, spades); amounts are minor units as strings.
 */
export const HandView = schema(
  {
    cards: t.array("number"),
    total: t.number().default(0),
    soft: t.boolean().default(false),
    stakeMinor: t.string().default("0"),
    doubled: t.boolean().default(false),
    status: t.string().default("playing"),
  },
  "BlackjackHand",
);

export const SeatView = schema(
  {
    seat: t.number().default(0),
    playerId: t.string().default(""),
    displayName: t.string().default(""),
    connected: t.boolean().default(true),
    betMinor: t.string().default("0"),
    insurance: t.string().default("notOffered"),
    insuranceStakeMinor: t.string().default("0"),
    hands: t.array(HandView),
    /** Net result of the last settled round, for display. */
    lastNetMinor: t.string().default("0"),
  },
  "BlackjackSeat",
);

export const RevealedSeedView = schema(
  {
    serverSeed: t.string().default(""),
    serverSeedHash: t.string().default(""),
    clientSeed: t.string().default(""),
    nextNonce: t.number().default(0),
  },
  "RevealedSeed",
);

export const BlackjackTableState = schema(
  {
    phase: t.string().default("betting"),
    round: t.number().default(0),
    /** Seats by index "0".."6"; an empty seat has no entry. */
    seats: t.map(SeatView),
    dealerCards: t.array("number"),
    dealerHiddenCards: t.number().default(0),
    dealerTotal: t.number().default(0),
    turnSeat: t.number().default(-1),
    turnHand: t.number().default(-1),
    turnActions: t.array("string"),
    /** When the current timer runs out (ms since the epoch), or 0 when none runs. */
    deadline: t.number().default(0),
    minBetMinor: t.string().default("0"),
    maxBetMinor: t.string().default("0"),
    rulesPreset: t.string().default(""),
    /** A custom table's code, to share with the players invited to it; empty at a standard table. */
    code: t.string().default(""),
    shoeTotal: t.number().default(0),
    shoeDealt: t.number().default(0),
    serverSeedHash: t.string().default(""),
    clientSeed: t.string().default(""),
    nonce: t.number().default(0),
    revealedSeeds: t.array(RevealedSeedView),
  },
  "BlackjackTable",
);

export type BlackjackTableStateType = InstanceType<typeof BlackjackTableState>;

interface SyncedArray<T> {
  length: number;
  at(index: number): T | undefined;
  push(...items: T[]): number;
  clear(): void;
}

/** Replaces the array's contents only when they differ, so an unchanged hand costs no patch. */
function replaceArray<T>(target: SyncedArray<T>, items: readonly T[]) {
  if (target.length === items.length && items.every((item, i) => target.at(i) === item)) return;
  target.clear();
  if (items.length > 0) target.push(...items);
}

/** Copies the engine's public view onto the synced state (players' names and presence are the room's to set). */
export function syncTable(state: BlackjackTableStateType, view: PublicTableView): void {
  state.phase = view.phase;
  state.round = view.round;
  replaceArray(state.dealerCards, view.dealer.cards);
  state.dealerHiddenCards = view.dealer.hiddenCards;
  state.dealerTotal = view.dealer.total ?? 0;
  state.turnSeat = view.turn?.seat ?? -1;
  state.turnHand = view.turn?.hand ?? -1;
  replaceArray(state.turnActions, view.turnActions);
  state.shoeTotal = view.shoe.totalCards;
  state.shoeDealt = view.shoe.dealt;
  for (const [key, seatState] of state.seats) {
    const seat = view.seats[Number(key)];
    seatState.betMinor = (seat?.bet ?? 0n).toString();
    seatState.insurance = seat?.insurance ?? "notOffered";
    seatState.insuranceStakeMinor = (seat?.insuranceStake ?? 0n).toString();
    const hands = seat?.hands ?? [];
    while (seatState.hands.length > hands.length) seatState.hands.pop();
    for (const [index, hand] of hands.entries()) {
      let view = seatState.hands.at(index);
      if (!view) {
        view = new HandView();
        seatState.hands.push(view);
      }
      replaceArray(view.cards, hand.cards);
      view.total = hand.total;
      view.soft = hand.soft;
      view.stakeMinor = hand.stake.toString();
      view.doubled = hand.doubled;
      view.status = hand.status;
    }
  }
}

/** Each seat's net for the round just settled, shown until the next one settles. */
export function showSettled(state: BlackjackTableStateType, result: RoundResult): void {
  for (const seat of result.seats) {
    const view = state.seats.get(String(seat.seat));
    if (view) view.lastNetMinor = seat.net.toString();
  }
}
