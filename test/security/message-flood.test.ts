import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, startTestServer, type TestServer } from "../support/game-server.ts";
import { joinRaw, postJson, type RawRoomClient, signInFrom } from "./raw-client.ts";

const ROOM_DATA = 13;

/** An unknown-type message with `bytes` of payload (MessagePack bin32). */
function bogusFrame(bytes: number): Buffer {
  const head = Buffer.from([ROOM_DATA, 0xa5, ...Buffer.from("bogus"), 0xc6, 0, 0, 0, 0]);
  head.writeUInt32BE(bytes, head.length - 4);
  return Buffer.concat([head, Buffer.alloc(bytes, 0x61)]);
}

/** Sends `frame` `perSecond` times a second until the socket closes; resolves with the close code and reason. */
async function floodUntilClosed(client: RawRoomClient, frame: Buffer, perSecond: number) {
  const timer = setInterval(() => {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(frame);
  }, 1000 / perSecond);
  try {
    return await client.closed;
  } finally {
    clearInterval(timer);
  }
}

async function pingOnce(room: Room, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("ping unanswered")), timeoutMs);
    room.ping((ms) => {
      clearTimeout(timer);
      resolve(ms);
    });
  });
}

/**
 * The victim's ping pace while the flood lasts: a rate, not a wait. Pinging back to back would itself break the
 * 40 messages/s per-connection budget the suite sets.
 */
const VICTIM_PING_EVERY_MS = 50;

describe("message floods, cut off at the transport across all rooms", () => {
  let server: TestServer;
  let victim: Room;

  beforeAll(async () => {
    // Real budgets (the defaults), and the flood penalty; HTTP limits stay generous so sign-ups are not the subject.
    server = await startTestServer({
      WS_MESSAGES_PER_SECOND: "40",
      WS_MESSAGES_PER_SECOND_PER_IP: "160",
      WS_BYTES_PER_SECOND: "65536",
      FLOOD_PENALTY_S: "15",
    });
    const token = await signInFrom(server.url, "Victim");
    victim = await sdkClient(server.url, token).create("blackjack", {});
    victim.onMessage("*", () => {});
  });
  afterAll(async () => {
    await victim?.leave().catch(() => {});
    await server?.stop();
  });

  it("cuts off eight flooders (16 KB at 190/s, each at its own table) with a RATE_LIMITED reason; the victim plays on", async () => {
    const flooders = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const address = `127.0.1.${i + 1}`;
        const token = await signInFrom(server.url, `Flooder ${i}`, address);
        const client = await joinRaw(server.url, token, "create", "blackjack", { maxMessagesPerSecond: 200 }, address);
        await client.joined;
        return { client, token, address };
      }),
    );
    const rtts: number[] = [];
    let flooding = true;
    const pinger = (async () => {
      while (flooding) {
        rtts.push(await pingOnce(victim));
        await new Promise((resolve) => setTimeout(resolve, VICTIM_PING_EVERY_MS));
      }
    })();
    const closes = await Promise.all(flooders.map(({ client }) => floodUntilClosed(client, bogusFrame(16_000), 190)));
    flooding = false;
    await pinger;
    for (const closed of closes) {
      expect(closed.code).toBe(4029);
      expect(closed.reason).toMatch(/^RATE_LIMITED: over \d+ (bytes|messages)\/s on this connection$/);
    }
    expect(rtts.length).toBeGreaterThan(0);
    expect(victim.connection.isOpen).toBe(true);

    // A flooder cut off cannot come straight back: its address waits out the penalty.
    const { token, address } = flooders[0]!;
    const again = await postJson(
      `${server.url}/matchmake/create/blackjack`,
      {},
      { authorization: `Bearer ${token}` },
      address,
    );
    expect(again.status).toBe(429);
    expect(Number(again.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("cuts off small messages past the per-connection count, and many connections past the per-address budget", async () => {
    const small = Buffer.from([ROOM_DATA, 0xa5, ...Buffer.from("bogus"), 0xc0]);
    const address = "127.0.2.1";
    const token = await signInFrom(server.url, "Chatty", address);
    const chatty = await joinRaw(server.url, token, "create", "blackjack", { maxMessagesPerSecond: 200 }, address);
    await chatty.joined;
    const closed = await floodUntilClosed(chatty, small, 190);
    expect(closed.code).toBe(4029);
    expect(closed.reason).toMatch(/^RATE_LIMITED: over 40 messages\/s on this connection$/);

    // Eight connections from one address, each under its own 40/s but together far over 160/s.
    const shared = "127.0.3.1";
    const crowd = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const crowdToken = await signInFrom(server.url, `Crowd ${i}`, shared);
        const client = await joinRaw(
          server.url,
          crowdToken,
          "create",
          "blackjack",
          { maxMessagesPerSecond: 200 },
          shared,
        );
        await client.joined;
        return client;
      }),
    );
    const firstClose = await Promise.race(crowd.map((client) => floodUntilClosed(client, small, 35)));
    for (const client of crowd) client.socket.close();
    expect(firstClose.code).toBe(4029);
    expect(firstClose.reason).toMatch(/^RATE_LIMITED: over 160 messages\/s from this address$/);
    expect(victim.connection.isOpen).toBe(true);
    expect(await pingOnce(victim)).toBeGreaterThanOrEqual(0);
  });
});
