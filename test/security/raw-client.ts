import http from "node:http";
import WebSocket from "ws";

/** A room connection over a bare `ws` socket, for frames the SDK would never send, from a chosen local address. */
export interface RawRoomClient {
  socket: WebSocket;
  roomId: string;
  /** Resolves when the server closes the socket, with its close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the server has confirmed the join. */
  joined: Promise<void>;
}

interface SeatReservation {
  sessionId: string;
  roomId: string;
  processId: string;
}

/** `POST` over node:http so the request can come from `localAddress` (any 127.x address reaches this host). */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      url,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => {
          let json: unknown = text;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

export async function signInFrom(url: string, displayName: string, localAddress?: string): Promise<string> {
  const answer = await postJson(`${url}/auth/guest`, { displayName }, {}, localAddress);
  if (answer.status !== 201) throw new Error(`sign-in failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return (answer.json as { token: string }).token;
}

export async function joinRaw(
  url: string,
  token: string,
  method: "joinOrCreate" | "create" | "joinById",
  roomNameOrId: string,
  options: Record<string, unknown> = {},
  localAddress?: string,
): Promise<RawRoomClient> {
  const answer = await postJson(
    `${url}/matchmake/${method}/${roomNameOrId}`,
    options,
    { authorization: `Bearer ${token}` },
    localAddress,
  );
  if (answer.status !== 200) throw new Error(`matchmake failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  const seat = answer.json as SeatReservation;
  const endpoint = `${url.replace("http", "ws")}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`;
  const socket = new WebSocket(endpoint, { localAddress });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on("error", () => {});
  const joined = new Promise<void>((resolve, reject) => {
    socket.once("message", () => resolve());
    socket.once("close", () => reject(new Error("closed before joining")));
  });
  joined.catch(() => {});
  return { socket, roomId: seat.roomId, closed, joined };
}
