import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";

function nextMessage<T>(room: Room, type: string): Promise<T> {
  return new Promise((resolve) => room.onMessage(type, (message: T) => resolve(message)));
}

describe("reconnection on the product's runtime", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("runs on Node 22 or newer, which Colyseus 0.18's reconnection needs", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(22);
    expect(typeof globalThis.WebSocket?.OPEN).toBe("number");
  });

  it("a dropped player reclaims the same seat with the reconnection token", async () => {
    const guest = await signInGuest(server.url, "Flaky Wifi");
    const client = sdkClient(server.url, guest.token);
    const room = await client.joinOrCreate("lobby");
    await nextMessage(room, "profile");
    const sessionId = room.sessionId;
    const reconnectionToken = room.reconnectionToken;
    room.reconnection.enabled = false;

    const dropped = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
    room.connection.close(4010, "network went away");
    expect(await dropped).not.toBe(4000);

    const again = await client.reconnect(reconnectionToken);
    expect(again.sessionId).toBe(sessionId);
    expect(again.roomId).toBe(room.roomId);

    const profile = nextMessage<{ id: string }>(again, "profile");
    again.send("profile");
    expect((await profile).id).toBe(guest.player.id);
    await again.leave();
  });
});
