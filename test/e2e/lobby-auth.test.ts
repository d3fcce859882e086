import type { Room } from "@colyseus/sdk";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "../../src/auth/tokens.ts";
import { sdkClient, signInGuest, startTestServer, TEST_JWT_SECRET, type TestServer } from "../support/game-server.ts";

function nextMessage<T>(room: Room, type: string): Promise<T> {
  return new Promise((resolve) => room.onMessage(type, (message: T) => resolve(message)));
}

describe("guest sign-in and the lobby over a real SDK client", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("signs in as a guest over HTTP, joins the lobby with the token and receives its own profile", async () => {
    const guest = await signInGuest(server.url, "Ada Lovelace");
    expect(guest.player.displayName).toBe("Ada Lovelace");

    const room = await sdkClient(server.url, guest.token).joinOrCreate("lobby");
    const profile = await nextMessage<{ id: string; displayName: string; balanceMinor: string }>(room, "profile");
    expect(profile).toMatchObject({ id: guest.player.id, displayName: "Ada Lovelace" });
    await room.leave();

    // A new player starts with the configured demo grant (STARTING_GRANT_MINOR, 10,000.00 by default), once.
    expect(profile.balanceMinor).toBe("1000000");
    const wallet = await fetch(`${server.url}/wallet`, { headers: { authorization: `Bearer ${guest.token}` } });
    expect(((await wallet.json()) as { balanceMinor: string }).balanceMinor).toBe("1000000");
  });

  it("rejects display names that are too short, too long or made of symbols, and creates no player", async () => {
    for (const displayName of ["A", "x".repeat(25), "<script>", "two  spaces", 42]) {
      const response = await fetch(`${server.url}/auth/guest`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ displayName }),
      });
      expect(response.status, `displayName ${JSON.stringify(displayName)}`).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe("BAD_REQUEST");
    }
  });

  it("refuses to join without a token", async () => {
    await expect(sdkClient(server.url).joinOrCreate("lobby")).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining("TOKEN_MISSING"),
    });
  });

  it("refuses a token signed with another secret", async () => {
    const forged = await new TokenService("a-different-secret-that-is-long-enough-1234", 3600).issue({
      playerId: "00000000-0000-4000-8000-000000000000",
      displayName: "Mallory",
    });
    await expect(sdkClient(server.url, forged).joinOrCreate("lobby")).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining("TOKEN_INVALID"),
    });
  });

  it("refuses an expired token", async () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ name: "Old Timer" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("00000000-0000-4000-8000-000000000000")
      .setIssuer("tablestakes")
      .setAudience("tablestakes:player")
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(key);
    await expect(sdkClient(server.url, expired).joinOrCreate("lobby")).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining("TOKEN_EXPIRED"),
    });
  });

  it("answers an unknown message with an error instead of dropping the player", async () => {
    const guest = await signInGuest(server.url, "Curious George");
    const room = await sdkClient(server.url, guest.token).joinOrCreate("lobby");
    await nextMessage(room, "profile");
    const error = nextMessage<{ code: string }>(room, "error");
    room.send("launch_missiles", { now: true });
    expect((await error).code).toBe("UNKNOWN_MESSAGE");
    const profileAgain = nextMessage<{ id: string }>(room, "profile");
    room.send("profile");
    expect((await profileAgain).id).toBe(guest.player.id);
    await room.leave();
  });
});
