import type { Room } from "@colyseus/sdk";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, TEST_JWT_SECRET, type TestServer } from "../support/game-server.ts";
import { nextMessage } from "../support/wait.ts";

/** Drops the connection the way a network failure does, without the SDK trying to come back by itself. */
async function drop(room: Room): Promise<void> {
  room.reconnection.enabled = false;
  const left = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
  room.connection.close(4010, "network went away");
  await left;
}

async function stillServed(room: Room, playerId: string): Promise<void> {
  const profile = nextMessage<{ id: string }>(room, "profile");
  room.send("profile");
  expect((await profile).id).toBe(playerId);
}

describe("a reconnection needs the same player's valid token", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("a reconnection token with no player token, or another player's, is refused; the player keeps the seat", async () => {
    const [owner, other] = await Promise.all([signInGuest(server.url, "Owner"), signInGuest(server.url, "Other")]);
    const ownerClient = sdkClient(server.url, owner.token);
    const room = await ownerClient.joinOrCreate("lobby");
    await nextMessage(room, "profile");
    const reconnectionToken = room.reconnectionToken;

    // While the owner is connected: a stranger holding the token cannot take over the session.
    await expect(sdkClient(server.url).reconnect(reconnectionToken)).rejects.toBeDefined();
    await expect(sdkClient(server.url, other.token).reconnect(reconnectionToken)).rejects.toBeDefined();
    await stillServed(room, owner.player.id);

    // While the owner's seat is held after a drop: the same.
    await drop(room);
    await expect(sdkClient(server.url).reconnect(reconnectionToken)).rejects.toBeDefined();
    await expect(sdkClient(server.url, other.token).reconnect(reconnectionToken)).rejects.toBeDefined();

    const again = await ownerClient.reconnect(reconnectionToken);
    expect(again.sessionId).toBe(room.sessionId);
    await stillServed(again, owner.player.id);
    await again.leave();
  });

  it("a player token without an expiry is refused", async () => {
    const guest = await signInGuest(server.url, "Forever");
    const forever = await new SignJWT({ name: "Forever" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(guest.player.id)
      .setIssuer("tablestakes")
      .setAudience("tablestakes:player")
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    await expect(sdkClient(server.url, forever).joinOrCreate("lobby")).rejects.toMatchObject({
      code: 401,
      message: expect.stringMatching(/TOKEN_INVALID/),
    });
    const wallet = await fetch(`${server.url}/wallet`, { headers: { authorization: `Bearer ${forever}` } });
    expect(wallet.status).toBe(401);
  });
});
