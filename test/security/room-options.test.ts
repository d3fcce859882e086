import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { type Guest, sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { waitFor } from "../support/wait.ts";

const SEED = Number(process.env.SEED ?? Date.now() % 1_000_000);

const PINNED = {
  bettingSeconds: 0.05,
  insuranceSeconds: 0.05,
  actionSeconds: 0.05,
  resultSeconds: 0.05,
  maxMessagesPerSecond: 5,
};

describe("table options become matchmaking filters only once validated and normalised", () => {
  let server: TestServer;
  let guests: Guest[];
  const rooms: Room[] = [];
  const join = async <S = unknown>(
    guest: Guest,
    how: "joinOrCreate" | "create" | "join",
    name: string,
    options: object,
  ): Promise<Room<unknown, S>> => {
    const client = sdkClient(server.url, guest.token);
    const room =
      how === "create"
        ? await client.create<S>(name, options)
        : how === "join"
          ? await client.join<S>(name, options)
          : await client.joinOrCreate<S>(name, options);
    rooms.push(room);
    return room;
  };

  beforeAll(async () => {
    server = await startTestServer();
    guests = await Promise.all(["Ann", "Ben", "Cat", "Dan", "Eve"].map((name) => signInGuest(server.url, name)));
  });
  afterAll(async () => {
    await Promise.all(rooms.filter((room) => room.connection.isOpen).map((room) => room.leave().catch(() => {})));
    await server?.stop();
  });

  it("a table made with 50 ms timers and a 5 msg/s limit never catches a quick-joining player", async () => {
    console.log(`room-options seed ${SEED}`);
    const random = seededUniform(SEED);
    const pinned = await join<Synced<BlackjackStateView>>(guests[0]!, "joinOrCreate", "blackjack", PINNED);
    await waitFor(() => pinned.state.code?.length === 6, "the custom table's code");
    // Whatever a quick-joiner asks of the standard tier, written as the client likes, it never lands there.
    const requests: object[] = [
      {},
      { minBetMinor: 100 },
      { minBetMinor: "100" },
      { rules: "strip-6d-s17-das-ls" },
      { spectate: true },
      { tier: pinned.state.code },
    ];
    for (let i = 0; i < 8; i++) {
      const request: Record<string, unknown> = {};
      if (random() < 0.5) request.minBetMinor = random() < 0.5 ? 100 : "100";
      if (random() < 0.5) request.rules = "strip-6d-s17-das-ls";
      if (random() < 0.3) request.tier = random() < 0.5 ? "standard" : "custom";
      requests.push(request);
    }
    for (const [i, request] of requests.entries()) {
      const room = await join(guests[1 + (i % 4)]!, "joinOrCreate", "blackjack", request);
      expect(room.roomId, `seed ${SEED}: ${JSON.stringify(request)}`).not.toBe(pinned.roomId);
      await room.leave();
    }
    // Its code finds it.
    const invited = await join(guests[1]!, "join", "blackjack", {
      code: pinned.state.code.toLowerCase(),
    });
    expect(invited.roomId).toBe(pinned.roomId);
  });

  it("quick-join finds the standard table however the minimum is written", async () => {
    const first = await join(guests[2]!, "joinOrCreate", "blackjack", { minBetMinor: 500 });
    const second = await join(guests[3]!, "joinOrCreate", "blackjack", { minBetMinor: "500" });
    expect(second.roomId).toBe(first.roomId);
    const other = await join(guests[4]!, "joinOrCreate", "blackjack", { minBetMinor: 1000 });
    expect(other.roomId).not.toBe(first.roomId);
    // A wrong code finds nothing and opens nothing.
    await expect(join(guests[4]!, "joinOrCreate", "blackjack", { code: "ZZZZZZ" })).rejects.toThrow(/NO_SUCH_TABLE/);
  });

  it("{} never joins a private challenge: it makes one of its own", async () => {
    for (const name of ["draws", "pool"]) {
      const mine = await join(guests[0]!, "create", name, { mode: "private", stakeMinor: 500 });
      const theirs = await join(guests[1]!, "joinOrCreate", name, {});
      expect(theirs.roomId, name).not.toBe(mine.roomId);
      await theirs.leave();
      await mine.leave();
    }
  });

  it("a quick match with custom clocks only pairs players who asked for the same clocks", async () => {
    const fast = { mode: "quick", stakeMinor: 300, drawSeconds: 0.05 };
    const a = await join(guests[0]!, "joinOrCreate", "draws", fast);
    const standard = await join(guests[1]!, "joinOrCreate", "draws", { mode: "quick", stakeMinor: "300" });
    expect(standard.roomId).not.toBe(a.roomId);
    const b = await join(guests[2]!, "joinOrCreate", "draws", { ...fast, stakeMinor: "300" });
    expect(b.roomId).toBe(a.roomId);
  });

  it("bad options are refused with a code and a message, and no stack trace reaches the log", async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(" "));
    });
    try {
      const cases: [string, object, RegExp][] = [
        ["blackjack", { bettingSeconds: 100_000 }, /BAD_OPTIONS: bettingSeconds/],
        ["blackjack", { minBetMinor: 5, maxBetMinor: 1 }, /BAD_OPTIONS/],
        ["blackjack", { maxMessagesPerSecond: 1 }, /BAD_OPTIONS: maxMessagesPerSecond/],
        ["draws", { mode: "quick" }, /BAD_OPTIONS: stakeMinor/],
        ["draws", { mode: "tournament", players: ["a", "b"] }, /TOURNAMENT_ONLY/],
        ["pool", { shotClockSeconds: -1 }, /BAD_OPTIONS: shotClockSeconds/],
        ["pool", { table: "12ft" }, /BAD_OPTIONS: table/],
      ];
      for (const [name, options, message] of cases) {
        const refused = await join(guests[0]!, "joinOrCreate", name, options).catch((error: unknown) => error);
        expect(refused, `${name} ${JSON.stringify(options)}`).toBeInstanceOf(Error);
        expect((refused as { code: number }).code).toBeGreaterThanOrEqual(400);
        expect((refused as { code: number }).code).toBeLessThan(500);
        expect((refused as Error).message).toMatch(message);
        expect((refused as Error).message).not.toMatch(/RangeError|\n\s+at /);
      }
    } finally {
      spy.mockRestore();
    }
    expect(printed.filter((line) => /RangeError|\n\s+at /.test(line))).toEqual([]);
  });
});
