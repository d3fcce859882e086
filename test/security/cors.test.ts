import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Guest, sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";

const GAME_ORIGIN = "https://play.example.com";
const FOREIGN_ORIGIN = "https://evil.example.net";

function basic(user: string, password: string) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

async function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace("http", "ws"), { headers: { origin } });
    socket.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on("open", () => {
      resolve(101);
      socket.close();
    });
    socket.on("error", (error) => reject(error));
  });
}

describe("cross-origin requests", () => {
  let server: TestServer;
  let operator: string;
  let guest: Guest;

  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: GAME_ORIGIN });
    const credentials = server.server.services.config.monitor!;
    operator = basic(credentials.user, credentials.password);
    guest = await signInGuest(server.url, "Cors Player");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("operator routes never answer another origin, not even a listed one, even with the operator's login", async () => {
    for (const origin of [FOREIGN_ORIGIN, GAME_ORIGIN, "null"]) {
      for (const route of ["/colyseus/", "/colyseus/api", "/admin/audit", "/metrics"]) {
        const response = await fetch(`${server.url}${route}`, { headers: { origin, authorization: operator } });
        expect(response.status, `${route} from ${origin}`).toBe(403);
        expect(response.headers.get("access-control-allow-origin"), route).toBeNull();
        expect(response.headers.get("access-control-allow-credentials"), route).toBeNull();
        const preflight = await fetch(`${server.url}${route}`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        });
        expect(preflight.status, `preflight ${route}`).toBe(403);
        expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      }
    }
  });

  it("the operator's own page (same origin) still reads the monitor", async () => {
    const response = await fetch(`${server.url}/colyseus/api`, {
      headers: { origin: server.url, authorization: operator },
    });
    expect(response.status).toBe(200);
  });

  it("a game route answers a listed origin, without credentials, and refuses any other", async () => {
    const listed = await fetch(`${server.url}/auth/guest`, {
      method: "POST",
      headers: { origin: GAME_ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ displayName: "Listed Origin" }),
    });
    expect(listed.status).toBe(201);
    expect(listed.headers.get("access-control-allow-origin")).toBe(GAME_ORIGIN);
    expect(listed.headers.get("access-control-allow-credentials")).toBeNull();

    const preflight = await fetch(`${server.url}/matchmake/joinOrCreate/lobby`, {
      method: "OPTIONS",
      headers: {
        origin: GAME_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(GAME_ORIGIN);

    for (const route of ["/auth/guest", "/matchmake/joinOrCreate/lobby"]) {
      const foreign = await fetch(`${server.url}${route}`, {
        method: "POST",
        headers: { origin: FOREIGN_ORIGIN, "content-type": "application/json", authorization: `Bearer ${guest.token}` },
        body: JSON.stringify({ displayName: "Foreign Origin" }),
      });
      expect(foreign.status, route).toBe(403);
      expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
      expect(((await foreign.json()) as { error: string }).error).toBe("ORIGIN_NOT_ALLOWED");
    }
    const wallet = await fetch(`${server.url}/wallet`, {
      headers: { origin: FOREIGN_ORIGIN, authorization: `Bearer ${guest.token}` },
    });
    expect(wallet.status).toBe(403);
    expect(wallet.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("a client on the same origin (the page this server serves) and a client outside a browser both play", async () => {
    const same = await fetch(`${server.url}/auth/guest`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ displayName: "Same Origin" }),
    });
    expect(same.status).toBe(201);
    const room = await sdkClient(server.url, guest.token).joinOrCreate("lobby");
    expect(room.roomId).toBeTruthy();
    await room.leave();
  });

  it("refuses a WebSocket upgrade from a foreign page, and lets a listed one through to the room checks", async () => {
    expect(await upgradeStatus(`${server.url}/anything/room`, FOREIGN_ORIGIN)).toBe(403);
    expect(await upgradeStatus(`${server.url}/`, GAME_ORIGIN)).toBe(101);
  });
});

describe("cross-origin requests with no CORS_ORIGINS (the default)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers no other origin at all", async () => {
    const response = await fetch(`${server.url}/auth/guest`, {
      method: "POST",
      headers: { origin: GAME_ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ displayName: "No Origins" }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const health = await fetch(`${server.url}/health`, { headers: { origin: GAME_ORIGIN } });
    expect(health.headers.get("access-control-allow-origin")).toBeNull();
  });
});
