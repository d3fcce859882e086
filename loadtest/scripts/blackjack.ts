// Blackjack players for @colyseus/loadtest: each signs in as a guest, quick-joins a standard table, bets the table
// minimum and plays every hand by basic strategy from the synced state, leaves after 5 to 15 rounds and joins again.
//   node loadtest/scripts/blackjack.ts --endpoint ws://HOST:PORT --room blackjack --numClients 300 --output bj.log
import { cli } from "@colyseus/loadtest";
import type { Client, Room } from "@colyseus/sdk";
import { BlackjackBot, type TableView } from "../bots/blackjack-bot.ts";
import { between, type Guest, messages, startPlayer } from "./player.ts";

const SEATS_PER_TABLE = 7;
/** Tables this process's players sit at, with how many of them are seated there. */
const tables = new Map<string, number>();

function seatedAt(room: Room, guest: Guest): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const check = (table: TableView) => {
      if (table?.seats) resolve([...table.seats.values()].some((seat) => seat.playerId === guest.player.id));
    };
    room.onStateChange(check);
    check(room.state);
  });
}

/**
 * Quick-join puts a player on a full table as a spectator, so players fill the tables they know have a free seat
 * and open a standard table when none has.
 */
async function takeSeat(client: Client, roomName: string, guest: Guest): Promise<Room> {
  const known = [...tables].find(([, seated]) => seated < SEATS_PER_TABLE)?.[0];
  let room = known ? await client.joinById(known).catch(() => null) : null;
  if (room && !(await seatedAt(room, guest))) {
    await room.leave(true);
    room = null;
  }
  room ??= await client.create(roomName);
  const roomId = room.roomId;
  tables.set(roomId, (tables.get(roomId) ?? 0) + 1);
  room.onLeave(() => {
    const left = (tables.get(roomId) ?? 1) - 1;
    if (left > 0) tables.set(roomId, left);
    else tables.delete(roomId);
  });
  return room;
}

cli((options) =>
  startPlayer(options, {
    join: (client, guest) => takeSeat(client, options.roomName, guest),
    async play(room, guest) {
      new BlackjackBot(room, { playerId: guest.player.id, betMinor: (table) => BigInt(table.minBetMinor) });
      await messages(room, "roundSettled", between(5, 15));
    },
    dropWithinMs: 30_000,
  }),
);
