import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlackjackEvent, BlackjackRoundSettled, BlackjackStateView } from "../../protocol/blackjack.ts";
import type { ErrorMessage, Synced } from "../../protocol/common.ts";
import type { DrawsRoundSettledMessage, DrawsStateView } from "../../protocol/draws.ts";
import type { PoolMatchStarted, PoolShot, PoolStateView } from "../../protocol/pool.ts";
import { tableGeometry } from "../../simulation/pool/index.ts";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { nextMessage, waitFor } from "../support/wait.ts";

// Each room is played by a client that acts the moment a message arrives, reading only the synced state. A message
// that outran its patch would leave that client looking at the state before the change: it would check a stale
// phase, act on the wrong turn, or wait for a timer the test sets far away.

function errorsOf(room: Room): ErrorMessage[] {
  const errors: ErrorMessage[] = [];
  room.onMessage("error", (error: ErrorMessage) => errors.push(error));
  return errors;
}

/** The synced state, as the client sees it the moment a message arrives. */
const stateOf = <S>(room: Room<unknown, S>): S => room.state;

describe("a message never arrives ahead of the state it announces", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("blackjack: every dealt card is in the state when its event arrives, and the player stands on the turn it announces", async () => {
    const guest = await signInGuest(server.url, "Quick Stander");
    // Long timers: only a client that sees its turn the moment it is announced gets through the rounds quickly.
    const room = await sdkClient(server.url, guest.token).create<Synced<BlackjackStateView>>("blackjack", {
      bettingSeconds: 60,
      actionSeconds: 60,
      insuranceSeconds: 60,
      resultSeconds: 1,
    });
    const errors = errorsOf(room);
    const problems: string[] = [];
    room.onMessage("events", (events: BlackjackEvent[]) => {
      const state = stateOf(room);
      for (const event of events) {
        if (event.type === "cardDealt" && event.to === "seat") {
          const cards = [...(state.seats.get(String(event.seat))?.hands.at(event.hand)?.cards ?? [])];
          if (!cards.includes(event.card)) problems.push(`card ${event.card} announced before the state had it`);
        }
      }
      const turn = events.findLast((event) => event.type === "turnChanged")?.turn;
      if (turn && turn.seat === 0) {
        if (state.turnSeat !== 0 || state.phase !== "playerTurns") problems.push("turn announced before the state");
        else room.send("stand");
      }
      if (state.phase === "insurance") room.send("insurance", { take: false });
    });
    await waitFor(() => stateOf(room)?.seats?.get("0") !== undefined, "the seat");
    for (let round = 0; round < 3; round++) {
      const settled = nextMessage<BlackjackRoundSettled>(room, "roundSettled", 15_000);
      room.send("bet", { amountMinor: 100 });
      const message = await settled;
      const net = message.result.seats.find((seat) => seat.seat === 0)!.net;
      expect(stateOf(room).seats.get("0")?.lastNetMinor, "the settled net is in the state").toBe(net);
      await waitFor(() => stateOf(room).phase === "betting", "the next round", 15_000);
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await room.leave();
  });

  it("draws: a player draws the moment the stakes are announced, and rematches the moment the round is settled", async () => {
    const [ada, bo] = await Promise.all([signInGuest(server.url, "Ada"), signInGuest(server.url, "Bo")]);
    const first = await sdkClient(server.url, ada.token).create<Synced<DrawsStateView>>("draws", {
      mode: "private",
      drawSeconds: 60,
    });
    await waitFor(() => stateOf(first)?.code?.length === 6, "the code");
    const second = await sdkClient(server.url, bo.token).joinById<Synced<DrawsStateView>>(first.roomId, {
      code: stateOf(first).code,
    });
    const rooms = [first, second];
    const errors = rooms.map(errorsOf);
    const problems: string[] = [];
    let settledRounds = 0;
    for (const room of rooms) {
      room.onMessage("events", (events: { type: string }[]) => {
        // An attempt starts when the stakes are held and again after each tie.
        if (!events.some((event) => event.type === "attemptStarted")) return;
        if (stateOf(room).phase !== "awaiting_draws") problems.push(`stakes announced in phase ${stateOf(room).phase}`);
        room.send("draw");
      });
    }
    first.onMessage("roundSettled", (message: DrawsRoundSettledMessage) => {
      settledRounds += 1;
      if (stateOf(first).lastOutcome !== message.result.outcome) problems.push("settlement announced before the state");
      if (settledRounds < 3) first.send("rematch");
    });
    second.onMessage("roundSettled", () => {
      if (settledRounds < 3) second.send("rematch");
    });
    await waitFor(() => stateOf(first).ready && stateOf(second).ready, "both seats");
    first.send("stake", { stakeMinor: 100 });
    await waitFor(() => stateOf(second).seats.get("0")?.offerMinor === "100", "the offer");
    second.send("stake", { stakeMinor: 100 });
    await waitFor(() => settledRounds >= 3, "three rounds played without a timer", 20_000);
    expect(problems).toEqual([]);
    // A rematch may meet the other's rematch already accepted; nothing else is refused.
    expect(errors.flat().filter((error) => error.code !== "WRONG_PHASE" || error.type !== "rematch")).toEqual([]);
    await Promise.all(rooms.map((room) => room.leave()));
  });

  it("pool: the breaker breaks the moment the match start is announced; each shot arrives after its table", async () => {
    const [ann, ben] = await Promise.all([signInGuest(server.url, "Ann"), signInGuest(server.url, "Ben")]);
    const options = { mode: "private", stakeMinor: 100, animationScale: 0, shotClockSeconds: 60 };
    const a = await sdkClient(server.url, ann.token).create<Synced<PoolStateView>>("pool", options);
    await waitFor(() => stateOf(a)?.code?.length === 6, "the code");
    const b = await sdkClient(server.url, ben.token).joinById<Synced<PoolStateView>>(a.roomId, {
      code: stateOf(a).code,
    });
    const rooms = [a, b];
    const errors = rooms.map(errorsOf);
    const problems: string[] = [];
    const g = tableGeometry("9ft");
    let shots = 0;
    for (const [seat, room] of rooms.entries()) {
      room.onMessage("matchStarted", (message: PoolMatchStarted) => {
        const state = stateOf(room);
        if (state.phase !== "playing" || state.shooter !== message.breaker) problems.push("start announced early");
        if (message.breaker !== seat) return;
        const apex = [...state.balls].reduce((p, q) => (p.x < q.x ? p : q));
        const kitchen = { x: g.head_string_x_m - 0.3, y: 0.1 };
        room.send("shoot", {
          directionRad: Math.atan2(apex.y - kitchen.y, apex.x - kitchen.x),
          speed: 10,
          cueBall: kitchen,
        });
      });
      room.onMessage("shot", (message: PoolShot) => {
        if (stateOf(room).shotCount < message.shotNumber)
          problems.push(`shot ${message.shotNumber} ahead of its table`);
        if (seat === 0) shots += 1;
      });
    }
    await waitFor(() => stateOf(a).phase === "accepting" && stateOf(b).phase === "accepting", "both seats");
    a.send("acceptStake");
    b.send("acceptStake");
    await waitFor(() => shots >= 1, "the break, played without waiting on a timer", 20_000);
    expect(problems).toEqual([]);
    expect(errors.flat()).toEqual([]);
    a.send("concede");
    await nextMessage(b, "matchOver");
    await Promise.all(rooms.map((room) => room.leave().catch(() => {})));
  });
  it("pool: a stake that cannot be held is refused after the patch that takes its acceptance back; accepting again starts the match", async () => {
    const [cy, di] = await Promise.all([signInGuest(server.url, "Cy"), signInGuest(server.url, "Di")]);
    // 960,000 of Di's grant is held in a round elsewhere: the 100,000 stake is more than she has left.
    const { wallet, nodeId } = server.server.services;
    const parked = "test:parked:pool";
    await wallet.openRound({ roundId: parked, game: "test", ownerNodeId: nodeId, leaseMs: 600_000 });
    await wallet.stake({ key: `${parked}:stake`, roundId: parked, playerId: di.player.id, amountMinor: 960_000n });
    const options = { mode: "private", stakeMinor: 100_000, animationScale: 0 };
    const a = await sdkClient(server.url, cy.token).create<Synced<PoolStateView>>("pool", options);
    await waitFor(() => stateOf(a)?.code?.length === 6, "the code");
    const b = await sdkClient(server.url, di.token).joinById<Synced<PoolStateView>>(a.roomId, {
      code: stateOf(a).code,
    });
    const rooms = [a, b];
    // Each refusal, with whether Di's seat still showed her acceptance when it arrived.
    const refusals = rooms.map(() => [] as { code: string; diAccepted: boolean | undefined }[]);
    for (const [seat, room] of rooms.entries()) {
      room.onMessage("error", (error: ErrorMessage) => {
        refusals[seat]!.push({ code: error.code, diAccepted: stateOf(room).seats.get("1")?.accepted });
      });
    }
    await waitFor(() => stateOf(a).phase === "accepting" && stateOf(b).phase === "accepting", "both seats");
    b.send("acceptStake");
    await waitFor(() => rooms.every((room) => stateOf(room).seats.get("1")?.accepted), "Di's acceptance shown");
    a.send("acceptStake");
    await waitFor(() => refusals.every((list) => list.length > 0), "both refusals");
    expect(refusals[0]).toEqual([{ code: "STAKE_NOT_HELD", diAccepted: false }]);
    expect(refusals[1]).toEqual([{ code: "INSUFFICIENT_FUNDS", diAccepted: false }]);
    expect(stateOf(a).phase).toBe("accepting");
    expect(stateOf(a).seats.get("0")?.accepted).toBe(true);

    // With her money back Di accepts again: the match starts on a wallet round of its own holding both stakes.
    await wallet.refund({ key: `${parked}:refund`, roundId: parked });
    const started = nextMessage<PoolMatchStarted>(a, "matchStarted");
    b.send("acceptStake");
    const { roundId } = await started;
    expect(await wallet.escrowBalance(roundId)).toBe(200_000n);
    a.send("concede");
    await nextMessage(b, "matchOver");
    await Promise.all(rooms.map((room) => room.leave().catch(() => {})));
  });
});
