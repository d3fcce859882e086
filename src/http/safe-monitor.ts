import { matchMaker, Room } from "@colyseus/core";
import { monitor } from "@colyseus/monitor";
import { Reflection } from "@colyseus/schema";
import express, { type Request, type Response, type Router } from "express";

/**
 * The Colyseus monitor with its data answers replaced: the page and its assets come from @colyseus/monitor, but the
 * room list and the room inspection come from here and carry only what a spectator of the room could see, and the
 * monitor's remote room call (any method of any room, on a GET) is refused. Mount it behind the operator guard.
 *
 * Why not filter the stock answers: `getInspectData` returns `room.state` as the server holds it (every seat's hole
 * cards, fields kept for StateView holders), and `/api/room/call` reads any room property or calls any method, so a
 * seed, a shoe or a settlement is one GET away. What leaves here is the room's state encoded as for a client with
 * no private view and decoded again, less the keys that name a secret even when synced to the room's own players.
 */

/** Keys that stay hidden even where a room syncs them to its players: private challenge codes, server seeds. */
const HIDDEN_KEYS = new Set(["code", "serverSeed", "reconnectionToken", "token", "secret", "shoe", "deck"]);
const MAX_SCRUB_DEPTH = 32;

function scrub(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_SCRUB_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!HIDDEN_KEYS.has(key)) out[key] = scrub(item, depth + 1);
  }
  return out;
}

interface SchemaSerializerLike {
  id: string;
  getFullState(): Uint8Array;
  handshake?(): Uint8Array;
}

/** The room's state as a client without any StateView would decode it. */
function spectatorState(room: Room): { state: unknown; stateSize: number } {
  const serializer = (room as unknown as { _serializer?: SchemaSerializerLike })._serializer;
  if (serializer?.id !== "schema" || !serializer.handshake || !room.state) {
    return { state: {}, stateSize: 0 };
  }
  const full = serializer.getFullState();
  const decoder = Reflection.decode(serializer.handshake());
  // Byte 0 is the ROOM_STATE protocol code.
  decoder.decode(full, { offset: 1 });
  return { state: scrub((decoder.state as { toJSON(): unknown }).toJSON()), stateSize: full.byteLength };
}

export async function safeInspectData(this: Room) {
  const { state, stateSize } = spectatorState(this);
  const elapsedTime = this.clock.elapsedTime;
  return {
    roomId: this.roomId,
    name: this.roomName,
    maxClients: this.maxClients,
    locked: this.locked,
    metadata: scrub(this.metadata),
    clients: this.clients.map((client) => ({
      sessionId: client.sessionId,
      elapsedTime: elapsedTime - ((client as unknown as { _joinedAt?: number })._joinedAt ?? 0),
    })),
    state,
    stateSize,
  };
}

// The monitor package patches `getInspectData` onto every room when imported (above); inspection is answered by
// a room's own node, so every node replaces it with the safe one at start-up.
(Room.prototype as unknown as { getInspectData: typeof safeInspectData }).getInspectData = safeInspectData;

const LISTED_FIELDS = ["roomId", "name", "clients", "maxClients", "locked", "private", "processId", "publicAddress"];

async function listRooms(_req: Request, res: Response) {
  const rooms = (await matchMaker.query({})) as unknown as Record<string, unknown>[];
  let connections = 0;
  const listed = rooms.map((room) => {
    const entry: Record<string, unknown> = {};
    for (const field of LISTED_FIELDS) entry[field] = room[field];
    entry.maxClients = String(room.maxClients);
    entry.locked = Boolean(room.locked);
    entry.metadata = scrub(room.metadata);
    entry.elapsedTime = Date.now() - new Date(String(room.createdAt)).getTime();
    connections += Number(room.clients) || 0;
    return entry;
  });
  const columns = ["roomId", "name", "clients", "maxClients", "locked", "elapsedTime"];
  if (rooms.some((room) => room.publicAddress !== undefined)) columns.push("publicAddress");
  res.setHeader("cache-control", "no-store");
  res.json({
    columns,
    rooms: listed,
    connections,
    cpu: Number.NaN,
    memory: { rssMb: process.memoryUsage.rss() / 1024 / 1024, processId: matchMaker.processId },
  });
}

async function inspectRoom(req: Request, res: Response) {
  const roomId = typeof req.query.roomId === "string" ? req.query.roomId : "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(roomId)) {
    res.status(400).json({ error: "BAD_REQUEST", message: "roomId must be a room id" });
    return;
  }
  try {
    res.setHeader("cache-control", "no-store");
    res.json(await matchMaker.remoteRoomCall(roomId, "getInspectData"));
  } catch {
    res.status(404).json({ error: "ROOM_NOT_FOUND", message: `room ${roomId} is not available` });
  }
}

/** Express router for `/colyseus`: safe data answers, the stock page and assets, nothing else. */
export function createSafeMonitor(): Router {
  const router = express.Router();
  const stock = monitor() as unknown as express.RequestHandler;
  router.get("/api", (req, res, next) => {
    listRooms(req, res).catch(next);
  });
  router.get("/api/room", (req, res, next) => {
    inspectRoom(req, res).catch(next);
  });
  router.all("/api/room/call", (_req, res) => {
    res.status(403).json({
      error: "FORBIDDEN",
      message: "remote room calls are disabled: rooms change only through their players' messages",
    });
  });
  router.use("/api", (_req, res) => {
    res.status(404).json({ error: "NOT_FOUND", message: "no such monitor route" });
  });
  router.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.status(405).json({ error: "METHOD_NOT_ALLOWED", message: "the monitor only reads" });
      return;
    }
    stock(req, res, next);
  });
  return router;
}
