import { matchMaker } from "@colyseus/core";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** One registry per process: default process metrics plus the game server's own. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

interface RoomCounts {
  rooms: Map<string, number>;
  clients: Map<string, number>;
}

async function countLocalRooms(): Promise<RoomCounts> {
  const counts: RoomCounts = { rooms: new Map(), clients: new Map() };
  if (!matchMaker.driver || !matchMaker.processId) return counts;
  const rooms = await matchMaker.query({ processId: matchMaker.processId });
  for (const room of rooms) {
    counts.rooms.set(room.name, (counts.rooms.get(room.name) ?? 0) + 1);
    counts.clients.set(room.name, (counts.clients.get(room.name) ?? 0) + room.clients);
  }
  return counts;
}

// Both gauges read the matchmaker at scrape time, so they can never drift from the rooms that exist.
let pendingCounts: Promise<RoomCounts> | undefined;
function scrapeCounts(): Promise<RoomCounts> {
  pendingCounts ??= countLocalRooms().finally(() => {
    pendingCounts = undefined;
  });
  return pendingCounts;
}

new Gauge({
  name: "tablestakes_rooms",
  help: "Rooms open on this node, by room type",
  labelNames: ["room"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const [room, n] of (await scrapeCounts()).rooms) this.set({ room }, n);
  },
});

new Gauge({
  name: "tablestakes_clients",
  help: "Clients connected to rooms on this node, by room type",
  labelNames: ["room"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const [room, n] of (await scrapeCounts()).clients) this.set({ room }, n);
  },
});
