import { type Client, ServerError } from "@colyseus/core";
import type { MapSchema } from "@colyseus/schema";
import { normalizeChallengeCode } from "./challenge-code.ts";
import { IntentRejected } from "./intents.ts";

/** Who holds a seat: every game room keeps one of these per seat, or null when the seat is free. */
export interface SeatHolder {
  playerId: string;
  displayName: string;
  sessionId: string;
}

interface SeatViewBase {
  playerId: string;
  displayName: string;
}

export function seatOfSession(seated: readonly (SeatHolder | null)[], sessionId: string): number {
  return seated.findIndex((holder) => holder?.sessionId === sessionId);
}

/**
 * Mirrors the seats onto the synced map keyed "0", "1", …: free seats drop out, taken ones get the holder's
 * identity and whatever the room adds in `fill`. Existing views are updated in place so only changes are patched.
 */
export function syncSeatViews<H extends SeatHolder, V extends SeatViewBase>(
  seated: readonly (H | null)[],
  views: MapSchema<V>,
  create: (seat: number) => V,
  fill: (view: V, holder: H, seat: number) => void = () => {},
): void {
  for (const [seat, holder] of seated.entries()) {
    const key = String(seat);
    if (!holder) {
      views.delete(key);
      continue;
    }
    const view = views.get(key) ?? create(seat);
    view.playerId = holder.playerId;
    view.displayName = holder.displayName;
    fill(view, holder, seat);
    if (!views.has(key)) views.set(key, view);
  }
}

/** How a head-to-head room seats players: by the two a tournament named, by a private challenge's code, or first come. */
export interface SeatingRules {
  mode: "private" | "quick" | "tournament";
  /** A tournament match's players, in seat order. */
  players: readonly string[] | null;
  /** A private challenge's code ("" for other modes). */
  code: string;
}

/**
 * Where a joining player goes: the seat they take, or null to watch (`spectate`). A tournament match seats the two
 * players it names, each in their own seat; a private challenge seats its creator first and then only someone who
 * knows its code (watching it needs the code too); a quick match seats whoever comes. Throws the ServerError the
 * client reads; a player already in the room from another connection is refused.
 */
export function seatForJoin(
  seated: readonly (SeatHolder | null)[],
  rules: SeatingRules,
  join: { playerId: string; code?: unknown; spectate?: boolean },
): number | null {
  if (seated.some((holder) => holder?.playerId === join.playerId)) {
    throw new ServerError(409, "ALREADY_IN_ROOM: this player is already in this room from another connection");
  }
  const hasCode = rules.mode === "private" && normalizeChallengeCode(join.code) === rules.code;
  if (join.spectate) {
    if (rules.mode === "private" && !hasCode) {
      throw new ServerError(403, "WRONG_CODE: watching a private challenge needs its code");
    }
    return null;
  }
  let seat: number;
  if (rules.mode === "tournament") {
    seat = rules.players?.indexOf(join.playerId) ?? -1;
    if (seat < 0) throw new ServerError(403, "NOT_IN_THIS_MATCH: this match is for two other players");
  } else {
    const creator = seated.every((holder) => holder === null);
    if (rules.mode === "private" && !creator && !hasCode) {
      throw new ServerError(403, "WRONG_CODE: this challenge needs its code");
    }
    seat = seated.indexOf(null);
  }
  if (seat < 0 || seated[seat]) throw new ServerError(409, "ROOM_FULL: both seats are taken");
  return seat;
}

/** The seat of the client acting, or NOT_SEATED (`notSeated` says why, in the room's words); a seat it names is checked. */
export function requireSeat(
  seated: readonly (SeatHolder | null)[],
  client: Client,
  notSeated: string,
  claimed?: number,
): number {
  const seat = seatOfSession(seated, client.sessionId);
  if (seat < 0) throw new IntentRejected("NOT_SEATED", notSeated);
  if (claimed !== undefined && claimed !== seat) {
    throw new IntentRejected("NOT_YOUR_SEAT", `you play seat ${seat}, not seat ${claimed}`);
  }
  return seat;
}

export function clientOfSeat(
  clients: Iterable<Client>,
  seated: readonly (SeatHolder | null)[],
  seat: number,
): Client | undefined {
  const sessionId = seated[seat]?.sessionId;
  for (const client of clients) if (client.sessionId === sessionId) return client;
  return undefined;
}

/** Shows a dropped or returned player on their seat's view; a spectator has none. */
export function showConnected<V extends { connected: boolean }>(
  seated: readonly (SeatHolder | null)[],
  views: MapSchema<V>,
  sessionId: string,
  connected: boolean,
): void {
  const seat = seatOfSession(seated, sessionId);
  const view = seat >= 0 ? views.get(String(seat)) : undefined;
  if (view) view.connected = connected;
}
