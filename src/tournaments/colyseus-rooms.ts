import { matchMaker } from "@colyseus/core";
import { placeRoom } from "../../matchmaker/placement.ts";
import type { MatchRooms } from "./driver.ts";

interface SeatHolder {
  playerId: string;
}

/**
 * Match rooms through the matchmaker's placement (the region and node for the two players, then both seats), and
 * through presence for rooms on any node. Tournament players have no round trips measured, so placement falls back
 * to the least-loaded node.
 */
export const colyseusMatchRooms: MatchRooms = {
  async place(roomName, options, players) {
    const placed = await placeRoom(
      roomName,
      options,
      players.map((playerId) => ({ playerId, rttsMs: {} })),
    );
    return {
      roomId: placed.room.roomId,
      reservations: Object.fromEntries(placed.reservations.map((r) => [r.playerId, r.reservation])),
    };
  },
  async seated(roomId) {
    try {
      // The game rooms keep their seats in a public `seated` array (rooms/seats.ts).
      const seated = (await matchMaker.remoteRoomCall(roomId, "seated")) as (SeatHolder | null)[] | undefined;
      if (!Array.isArray(seated)) return "gone";
      return seated.map((holder) => holder?.playerId ?? null);
    } catch {
      return "gone";
    }
  },
  async close(roomId) {
    await matchMaker.remoteRoomCall(roomId, "disconnect");
  },
};
