import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TableView } from "../../loadtest/bots/blackjack-bot.ts";
import type { BlackjackRoundSettled } from "../../protocol/blackjack.ts";
import type { ErrorMessage } from "../../protocol/common.ts";
import { blackjackValue, cardRank } from "../../simulation/cards/index.ts";
import {
  sdkClient,
  signInGuest,
  startTestServerOnPostgres,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { stateWhere } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();

type Table = TableView;
type TableRoom = Room<unknown, Table>;

function table(room: TableRoom): Table {
  return room.state;
}

/** The table once `accept` holds for it (and its seats have been decoded). */
function tableWhere(room: TableRoom, accept: (state: Table) => boolean, timeoutMs = 15_000): Promise<Table> {
  return stateWhere(room, (t) => t.seats !== undefined && accept(t), "the table", timeoutMs);
}

function nextError(room: Room): Promise<ErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (error: ErrorMessage) => {
      off();
      resolve(error);
    });
  });
}

async function refused(room: Room, type: string, payload?: unknown): Promise<ErrorMessage> {
  const error = nextError(room);
  room.send(type, payload);
  return error;
}

function seatOf(room: TableRoom, playerId: string): number {
  for (const [key, seat] of table(room).seats) if (seat.playerId === playerId) return Number(key);
  return -1;
}

/** A fingerprint of what the table shows, to prove a refused intent changed nothing. */
function snapshot(room: TableRoom): string {
  const t = table(room);
  const seats = [...t.seats].map(([k, s]) => `${k}:${s.betMinor}:${s.hands.map((h) => h.cards.join(".")).join("|")}`);
  return `${t.phase}/${t.round}/${t.turnSeat}/${t.turnHand}/${t.dealerCards.join(".")}/${seats.join(",")}`;
}

describe.skipIf(!hasPostgres)("blackjack table refuses bad input and changes nothing", () => {
  let server: TestServer;
  const balanceOf = (token: string) => walletBalance(server.url, token);

  beforeAll(async () => {
    server = await startTestServerOnPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses malformed, unknown, out-of-range, over-balance and out-of-turn intents with clear codes", async () => {
    const alice = await signInGuest(server.url, "Alice Valid");
    const bob = await signInGuest(server.url, "Bob Valid");
    const watcher = await signInGuest(server.url, "Watcher Wes");
    const options = {
      rules: "strip-6d-s17-das-ls",
      minBetMinor: 100,
      maxBetMinor: 10_000_000,
      bettingSeconds: 30,
      actionSeconds: 30,
      insuranceSeconds: 30,
      resultSeconds: 0.2,
    };
    const a = await sdkClient(server.url, alice.token).create<Table>("blackjack", options);
    const b = await sdkClient(server.url, bob.token).joinById<Table>(a.roomId);
    const w = await sdkClient(server.url, watcher.token).joinById<Table>(a.roomId, { spectate: true });
    await tableWhere(a, (t) => t.seats.size === 2);
    const before = snapshot(a);
    const aliceBalance = await balanceOf(alice.token);

    expect((await refused(a, "launch", {})).code).toBe("UNKNOWN_MESSAGE");
    for (const payload of [
      { amountMinor: -5 },
      { amountMinor: 1.5 },
      { amountMinor: "abc" },
      { amountMinor: Number.NaN },
      {},
    ]) {
      expect((await refused(a, "bet", payload)).code, JSON.stringify(payload)).toBe("BAD_MESSAGE");
    }
    expect((await refused(a, "bet", { amountMinor: 99 })).code).toBe("BET_OUT_OF_RANGE");
    expect((await refused(a, "bet", { amountMinor: 10_000_001 })).code).toBe("BET_OUT_OF_RANGE");
    // 2,000,000 minor units is within the table's limits but twice the starting balance.
    expect((await refused(a, "bet", { amountMinor: 2_000_000 })).code).toBe("INSUFFICIENT_FUNDS");
    expect((await refused(a, "hit", {})).code).toBe("WRONG_PHASE");
    expect((await refused(w, "bet", { amountMinor: 100 })).code).toBe("NOT_SEATED");
    expect(snapshot(a)).toBe(before);
    expect(await balanceOf(alice.token)).toBe(aliceBalance);

    // A second connection of a seated player is refused at the door.
    await expect(sdkClient(server.url, alice.token).joinById<Table>(a.roomId)).rejects.toMatchObject({
      message: expect.stringContaining("ALREADY_AT_TABLE"),
    });

    const aliceSeat = seatOf(a, alice.player.id);
    const bobSeat = seatOf(a, bob.player.id);
    a.send("bet", { amountMinor: 500 });
    await tableWhere(a, (t) => t.seats.get(String(aliceSeat))!.betMinor === "500");
    expect(await balanceOf(alice.token)).toBe(aliceBalance - 500n);
    expect((await refused(a, "bet", { amountMinor: 500 })).code).toBe("ALREADY_BET");
    b.send("bet", { amountMinor: 300 });

    // Both bets are in, so the cards are dealt; decline insurance if the dealer shows an ace.
    const dealt = await tableWhere(
      a,
      (t) => t.phase === "playerTurns" || t.phase === "insurance" || t.phase === "settled",
    );
    if (dealt.phase === "insurance") {
      a.send("insurance", { take: false });
      b.send("insurance", { take: false });
    }
    const turns = await tableWhere(a, (t) => t.phase === "playerTurns" || t.phase === "settled");
    if (turns.phase === "playerTurns") {
      const [actor, idle] = turns.turnSeat === aliceSeat ? [a, b] : [b, a];
      const idleBefore = snapshot(idle);
      expect((await refused(idle, "stand", {})).code).toBe("NOT_YOUR_TURN");
      expect((await refused(w, "stand", {})).code).toBe("NOT_SEATED");
      const hand = table(actor).seats.get(String(turns.turnSeat))!.hands[turns.turnHand]!;
      const pair =
        cardRank(hand.cards[0]!) === cardRank(hand.cards[1]!) ||
        blackjackValue(hand.cards[0]!) === blackjackValue(hand.cards[1]!);
      if (!pair) expect((await refused(actor, "split", {})).code).toBe("CANNOT_SPLIT");
      expect(snapshot(idle)).toBe(idleBefore);
    }
    for (const room of [a, b, w]) await room.leave();
    expect(bobSeat).toBeGreaterThanOrEqual(0);
  });

  it("refuses a double on three cards", async () => {
    const carol = await signInGuest(server.url, "Carol Double");
    const room = await sdkClient(server.url, carol.token).create<Table>("blackjack", {
      bettingSeconds: 30,
      actionSeconds: 30,
      insuranceSeconds: 30,
      resultSeconds: 0.05,
    });
    const seat = seatOf((await tableWhere(room, (t) => t.seats.size === 1)) && room, carol.player.id);
    // Hit hands under 12 (they cannot bust) until one has three cards, then ask to double.
    for (let round = 0; round < 40; round++) {
      await tableWhere(room, (t) => t.phase === "betting");
      room.send("bet", { amountMinor: 100 });
      const t = await tableWhere(room, (s) => s.round > round && s.phase !== "betting");
      if (t.phase === "insurance") room.send("insurance", { take: false });
      const turn = await tableWhere(room, (s) => s.phase === "playerTurns" || s.phase === "settled");
      if (turn.phase !== "playerTurns") continue;
      const hand = table(room).seats.get(String(seat))!.hands[0]!;
      if (hand.total >= 12 || hand.soft) {
        room.send("stand", {});
        continue;
      }
      room.send("hit", {});
      const three = await tableWhere(room, (s) => (s.seats.get(String(seat))?.hands[0]?.cards.length ?? 0) === 3);
      if (three.phase !== "playerTurns") continue;
      const before = snapshot(room);
      const balance = await balanceOf(carol.token);
      expect((await refused(room, "double", {})).code).toBe("CANNOT_DOUBLE");
      expect(snapshot(room)).toBe(before);
      expect(await balanceOf(carol.token)).toBe(balance);
      await room.leave();
      return;
    }
    throw new Error("no hand under 12 in 40 rounds");
  });

  it("a player who drops mid-hand keeps the seat; the hand stands on the timer and settles", async () => {
    const dave = await signInGuest(server.url, "Dave Drops");
    const startBalance = await balanceOf(dave.token);
    const room = await sdkClient(server.url, dave.token).create<Table>("blackjack", {
      bettingSeconds: 30,
      actionSeconds: 0.5,
      insuranceSeconds: 0.5,
      resultSeconds: 0.05,
      reconnectSeconds: 60,
    });
    const seat = seatOf((await tableWhere(room, (t) => t.seats.size === 1)) && room, dave.player.id);
    // The spectator is watching before the bet, so it sees the round settle however fast that happens.
    const watcher = await signInGuest(server.url, "Eve Watches");
    const spectator = await sdkClient(server.url, watcher.token).joinById<Table>(room.roomId, { spectate: true });
    const settledMessage = new Promise<BlackjackRoundSettled>((resolve) =>
      spectator.onMessage("roundSettled", resolve),
    );
    room.send("bet", { amountMinor: 1000 });
    await tableWhere(room, (t) => t.phase !== "betting");
    room.reconnection.enabled = false;
    room.connection.close(4010, "train went into a tunnel");

    const during = await tableWhere(spectator, (t) => t.seats.get(String(seat))?.connected === false);
    expect(during.seats.get(String(seat))!.playerId).toBe(dave.player.id);
    const settled = await settledMessage;
    const net = BigInt(settled.result.seats.find((s) => s.seat === seat)!.net);
    expect(await balanceOf(dave.token)).toBe(startBalance + net);
    const audit = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
      ok: boolean;
    };
    expect(audit.ok).toBe(true);
    await spectator.leave();
  });
});
