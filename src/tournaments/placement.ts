import { type IRoomCache, matchMaker } from "@colyseus/core";
import { services } from "../services.ts";

export interface PlacedPlayer {
  playerId: string;
  /** Measured round-trip times by region, for choosing where the room goes. */
  rttsMs: Record<string, number>;
}

export interface Placement {
  room: IRoomCache;
  reservations: { playerId: string; reservation: unknown }[];
}

/**
 * Creates a match's room and reserves a seat in it for each named player. The one place where a match room is
 * created, so that choosing the region for its players stays in one function; here the room goes wherever the
 * matchmaker's default puts it.
 */
export async function placeRoom(
  roomName: string,
  roomOptions: Record<string, unknown>,
  players: PlacedPlayer[],
): Promise<Placement> {
  const room = await matchMaker.createRoom(roomName, roomOptions);
  const reservations: Placement["reservations"] = [];
  for (const { playerId } of players) {
    const player = await services().players.find(playerId);
    const reservation = await matchMaker.reserveSeatFor(
      room,
      {},
      {
        playerId,
        displayName: player?.displayName ?? "player",
      },
    );
    reservations.push({ playerId, reservation });
  }
  return { room, reservations };
}
