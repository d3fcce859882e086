import { type AuthContext, matchMaker, type Room, ServerError } from "@colyseus/core";
import { AuthError, type PlayerIdentity } from "../src/auth/tokens.ts";
import { services } from "../src/services.ts";

interface RoomInternals {
  _reconnections: Record<string, [string, unknown] | undefined>;
  _reservedSeats: Record<string, [unknown, unknown] | undefined>;
}

/** The player a session belongs to: a connected client's, or the one whose seat is held after a drop. */
function playerOfSession(room: Room, sessionId: string): string | undefined {
  const connected = room.clients.find((client) => client.sessionId === sessionId);
  if (connected) return (connected.auth as PlayerIdentity | undefined)?.playerId;
  // The seat allowReconnection holds keeps the dropped client's auth; Colyseus exposes it nowhere else.
  const reserved = (room as unknown as RoomInternals)._reservedSeats[sessionId];
  return (reserved?.[1] as PlayerIdentity | undefined)?.playerId;
}

/** The player a reconnection token would reconnect, for a held seat or a connection still open. */
export function reconnectionHolder(room: Room, reconnectionToken: string): string | undefined {
  const held = (room as unknown as RoomInternals)._reconnections[reconnectionToken]?.[0];
  if (held) return playerOfSession(room, held);
  const open = room.clients.find((client) => client.reconnectionToken === reconnectionToken);
  return open ? playerOfSession(room, open.sessionId) : undefined;
}

async function requirePlayer(token: string | null | undefined): Promise<PlayerIdentity> {
  try {
    return await services().tokens.verify(token);
  } catch (error) {
    if (error instanceof AuthError) throw new ServerError(401, `${error.code}: ${error.message}`);
    throw error;
  }
}

let guarding = false;

/**
 * Reconnection takes the same player's valid token. Colyseus answers a reconnect request from the reconnection
 * token alone, and when the token's connection is still open it closes that connection to hand the session over:
 * anyone holding a leaked token could take the seat or kick the player off. The matchmaker's reconnect request is
 * checked here before Colyseus sees it; the WebSocket that follows is checked by `guardReconnectionUpgrade`.
 */
export function guardReconnectRequests(): void {
  if (guarding) return;
  guarding = true;
  const controller = matchMaker.controller;
  const invoke = controller.invokeMethod.bind(controller);
  controller.invokeMethod = async (method, roomName, clientOptions = {}, authContext) => {
    if (method === "reconnect") {
      const identity = await requirePlayer(authContext?.token);
      const token = String((clientOptions as { reconnectionToken?: unknown }).reconnectionToken ?? "");
      const holder = await matchMaker.remoteRoomCall(roomName, "reconnectionHolder", [token]).catch(() => undefined);
      if (holder !== identity.playerId) {
        throw new ServerError(403, "NOT_YOUR_SEAT: this reconnection belongs to no seat of yours");
      }
    }
    return invoke(method, roomName, clientOptions, authContext);
  };
}

/**
 * The transport's beforeUpgrade hook: a WebSocket that claims a session with a reconnection token must carry a
 * valid token of the player who holds that session. Joins without a reconnection token pass: onAuth checked them.
 */
export async function guardReconnectionUpgrade(
  request: Request,
  context: Readonly<AuthContext>,
): Promise<Response | undefined> {
  const url = new URL(request.url);
  if (!url.searchParams.has("reconnectionToken")) return;
  let identity: PlayerIdentity;
  try {
    identity = await requirePlayer(context.token);
  } catch (error) {
    if (error instanceof ServerError)
      return Response.json({ error: "UNAUTHORIZED", message: error.message }, { status: 401 });
    throw error;
  }
  const roomId = /\/([a-zA-Z0-9_-]+)$/.exec(url.pathname)?.[1] ?? "";
  const room = matchMaker.getLocalRoomById(roomId);
  const holder = room ? playerOfSession(room, url.searchParams.get("sessionId") ?? "") : undefined;
  if (holder !== identity.playerId) {
    return Response.json(
      { error: "NOT_YOUR_SEAT", message: "this reconnection belongs to no seat of yours" },
      { status: 403 },
    );
  }
}
