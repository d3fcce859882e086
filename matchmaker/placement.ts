import { matchMaker, requestFromIPC } from "@colyseus/core";
import type { SeatReservation } from "../protocol/matchmaker.ts";
import { services } from "../src/services.ts";
import { createChannel, liveNodes, type NodeAnnouncement } from "./nodes.ts";

/**
 * Placement: which region and node a match's room goes to, and the seats reserved there for its players. The
 * matchmaker calls it for every pair it makes; tournaments call it for each bracket match.
 *
 * Rule: the region that minimises the worst of the players' round trips, among the regions with a node that has
 * room; the next region when it is full; within the region, the least-loaded node (fewest rooms, then clients,
 * then physics queue). A region a player did not measure counts as unreachable for them, so it comes last.
 */

/** A room's listing as the matchmaker returns it (roomId, processId, publicAddress, …). */
export type RoomListing = Awaited<ReturnType<typeof matchMaker.createRoom>>;

export interface PlacementPlayer {
  playerId: string;
  rttsMs: Record<string, number>;
  /** Shown to the other players; looked up when not given. */
  displayName?: string;
}

export interface PlayerSeat {
  playerId: string;
  /** What the player's client passes to `client.consumeSeatReservation`. */
  reservation: SeatReservation;
}

export interface PlacedRoom {
  room: RoomListing;
  region: string;
  processId: string;
  /** Regions ranked before the chosen one that had no room left. */
  overflowedFrom: string[];
  reservations: PlayerSeat[];
}

export class PlacementError extends Error {
  readonly code: "NO_CAPACITY" | "SEAT_RESERVATION_FAILED";
  constructor(code: PlacementError["code"], message: string) {
    super(message);
    this.name = "PlacementError";
    this.code = code;
  }
}

interface PlacementSettings {
  prefix: string;
  /** How long a node has to answer a create request before the next node is tried. */
  createTimeoutMs: number;
}

let settings: PlacementSettings = { prefix: "mm:", createTimeoutMs: 3_000 };

/** Set once by the matchmaker at start-up: the key prefix its nodes announce under. */
export function configurePlacement(next: Partial<PlacementSettings>): void {
  settings = { ...settings, ...next };
}

/** Rooms this process placed on each node, with when, so a placement burst does not overfill a node before it re-announces. */
const placedRecently = new Map<string, number[]>();

function recentlyPlaced(node: NodeAnnouncement): number {
  const times = (placedRecently.get(node.processId) ?? []).filter((at) => at > node.announcedAtMs);
  placedRecently.set(node.processId, times);
  return times.length;
}

export function hasCapacity(node: NodeAnnouncement): boolean {
  return !node.draining && node.rooms + recentlyPlaced(node) < node.maxRooms;
}

function load(node: NodeAnnouncement): [number, number, number] {
  return [node.rooms + recentlyPlaced(node), node.clients, node.physicsQueued];
}

/** Regions in the rule's order: the worst round trip among the players, then the region name. */
export function rankRegions(
  regions: Iterable<string>,
  players: readonly Pick<PlacementPlayer, "rttsMs">[],
): { region: string; worstRttMs: number }[] {
  return [...new Set(regions)]
    .map((region) => ({
      region,
      worstRttMs: Math.max(...players.map((player) => player.rttsMs[region] ?? Number.POSITIVE_INFINITY)),
    }))
    .sort((x, y) => x.worstRttMs - y.worstRttMs || (x.region < y.region ? -1 : x.region > y.region ? 1 : 0));
}

/** The regions that can take a room now, from the nodes' announcements. */
export async function regionsWithCapacity(): Promise<string[]> {
  const nodes = await liveNodes(matchMaker.presence, settings.prefix);
  return [...new Set(nodes.filter(hasCapacity).map((node) => node.region))].sort();
}

export async function announcedNodes(): Promise<NodeAnnouncement[]> {
  return liveNodes(matchMaker.presence, settings.prefix);
}

async function createOn(node: NodeAnnouncement, roomName: string, roomOptions: object): Promise<RoomListing> {
  return requestFromIPC<RoomListing>(
    matchMaker.presence,
    createChannel(settings.prefix, node.processId),
    "create",
    [roomName, roomOptions],
    settings.createTimeoutMs,
  );
}

/**
 * Creates `roomName` with `roomOptions` in the region the rule picks for `players` and reserves a seat there for
 * each of them. The room's own options decide who may sit (pass the rooms' named-players mode). Throws a
 * PlacementError when no region has room, or when a seat cannot be reserved (the room is then closed).
 */
export async function placeRoom(
  roomName: string,
  roomOptions: object,
  players: readonly PlacementPlayer[],
): Promise<PlacedRoom> {
  const nodes = await liveNodes(matchMaker.presence, settings.prefix);
  const overflowedFrom: string[] = [];
  for (const { region } of rankRegions(
    nodes.map((node) => node.region),
    players,
  )) {
    const candidates = nodes
      .filter((node) => node.region === region && hasCapacity(node))
      .sort((x, y) => {
        const [a, b] = [load(x), load(y)];
        return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      });
    for (const node of candidates) {
      let room: RoomListing;
      try {
        room = await createOn(node, roomName, roomOptions);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // A full, draining or silent node: the next one. Anything else is the room refusing its options.
        if (!/NODE_FULL|NODE_DRAINING|ipc_timeout/.test(message)) throw error;
        continue;
      }
      placedRecently.set(node.processId, [...(placedRecently.get(node.processId) ?? []), Date.now()]);
      const reservations = await reserveSeats(room, players);
      return { room, region, processId: node.processId, overflowedFrom, reservations };
    }
    overflowedFrom.push(region);
  }
  throw new PlacementError("NO_CAPACITY", "no region has room for this match now");
}

async function reserveSeats(room: RoomListing, players: readonly PlacementPlayer[]): Promise<PlayerSeat[]> {
  try {
    return await Promise.all(
      players.map(async (player) => {
        const displayName =
          player.displayName ?? (await services().players.find(player.playerId))?.displayName ?? player.playerId;
        const seat = await matchMaker.reserveSeatFor(room, {}, { playerId: player.playerId, displayName });
        return { playerId: player.playerId, reservation: seat as SeatReservation };
      }),
    );
  } catch (error) {
    await matchMaker.remoteRoomCall(room.roomId, "disconnect").catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    throw new PlacementError("SEAT_RESERVATION_FAILED", `a seat could not be reserved: ${message}`);
  }
}
