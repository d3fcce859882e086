// A client that stops reading, whose network goes silent, or that never confirms its join must not stall its room or
// grow the server's memory: the first is cut off once the bytes waiting for it pass WS_SEND_BUFFER_MAX_BYTES, the
// second is dropped when it misses its pongs, the third is cut off in the same time; either way its seat is handled
// as a drop and the other players' game goes on on time.
import { matchMaker, Protocol } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { pack } from "msgpackr";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { RoundSettledMessage } from "../../loadtest/bots/draw-bot.ts";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import type { PoolMatchOver, PoolStateView } from "../../protocol/pool.ts";
import { registry } from "../../src/metrics/metrics.ts";
import { joinRaw } from "../security/raw-client.ts";
import { type Guest, sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { type StallingRelay, startStallingRelay } from "./support.ts";

const hasPostgres = await postgresAvailable();

type Table = Synced<BlackjackStateView>;
type Draws = Synced<DrawsStateView>;
type Pool = Synced<PoolStateView>;

/** A player's action is answered by the patch that shows it within this (patches go out every 20 ms here). */
const ACTION_ANSWERED_MS = 500;

/** The server's side of a player's connection: the room's client and its ws socket. */
function serverSide(roomId: string, playerId: string) {
  const client = matchMaker
    .getLocalRoomById(roomId)
    ?.clients.find((c) => (c.auth as { playerId?: string } | undefined)?.playerId === playerId);
  if (!client || !(client.ref instanceof WebSocket)) throw new Error(`no connection for ${playerId} in ${roomId}`);
  return { client, socket: client.ref };
}

/** A Colyseus room-data frame as the SDK builds it: the message type, then its MessagePack payload. */
function roomData(type: string, payload: unknown): Buffer {
  return Buffer.concat([Buffer.from([Protocol.ROOM_DATA]), pack(type), pack(payload)]);
}

/**
 * A blackjack seat played by an SDK client: it declines insurance, stands on each of its turns and times how long
 * the room takes to answer each action with the patch that shows it.
 */
class StandingPlayer {
  readonly settled: unknown[] = [];
  readonly answeredMs: number[] = [];
  readonly room: Room<unknown, Table>;
  readonly guest: Guest;
  #sentAt = 0;
  #decidedRound = -1;

  constructor(room: Room<unknown, Table>, guest: Guest) {
    this.room = room;
    this.guest = guest;
    for (const type of ["events", "seedRevealed", "error"]) room.onMessage(type, () => {});
    room.onMessage("roundSettled", (message: unknown) => this.settled.push(message));
    room.onStateChange((table) => this.#onTable(table));
  }

  get seat(): number {
    for (const [key, seat] of this.room.state.seats) if (seat.playerId === this.guest.player.id) return Number(key);
    return -1;
  }

  #onTable(table: Table) {
    const myTurn = table.phase === "playerTurns" && table.turnSeat === this.seat;
    if (this.#sentAt > 0 && !myTurn) {
      this.answeredMs.push(performance.now() - this.#sentAt);
      this.#sentAt = 0;
    }
    if (table.phase === "insurance" && this.#decidedRound !== table.round) {
      this.#decidedRound = table.round;
      this.room.send("insurance", { take: false });
    }
    if (myTurn && this.#sentAt === 0) {
      this.#sentAt = performance.now();
      this.room.send("stand", {});
    }
  }
}

/** The server's count of connections it cut off for `reason` (`tablestakes_connections_cut_total`). */
async function connectionsCut(reason: string): Promise<number> {
  const metric = await registry.getSingleMetric("tablestakes_connections_cut_total")?.get();
  return metric?.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

describe.skipIf(!hasPostgres)("a client that stops reading", () => {
  // Small enough that the test fills it in a moment; the pings are slowed so that only the cap can cut it off.
  const CAP_BYTES = 64 * 1024;
  let scratch: ScratchDatabase;
  let server: TestServer;
  let relay: StallingRelay;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_fault_slow");
    server = await startTestServer({
      DATABASE_URL: scratch.url,
      WS_SEND_BUFFER_MAX_BYTES: String(CAP_BYTES),
      WS_PING_INTERVAL_MS: "60000",
    });
    relay = await startStallingRelay(server.server.port);
  });
  afterAll(async () => {
    await relay?.close();
    await server?.stop();
    await scratch?.drop();
  });

  it("is cut off at the send-buffer cap with 4010 SLOW_CLIENT while the others' round plays on time", async () => {
    const slowCutsBefore = await connectionsCut("SLOW_CLIENT");
    const [ada, bo, sam] = await Promise.all(["Ada", "Bo", "Sam"].map((name) => signInGuest(server.url, name)));
    const options = {
      bettingSeconds: 60,
      insuranceSeconds: 0.5,
      actionSeconds: 60,
      reconnectSeconds: 1,
      patchRateMs: 20,
    };
    const a = new StandingPlayer(await sdkClient(server.url, ada!.token).create<Table>("blackjack", options), ada!);
    const roomId = a.room.roomId;
    const b = new StandingPlayer(await sdkClient(server.url, bo!.token).joinById<Table>(roomId), bo!);
    // Sam plays over a bare socket through the relay, so its reading can stop while its TCP connection stays up.
    const slow = await joinRaw(relay.url, sam!.token, "joinById", roomId);
    await slow.joined;
    slow.socket.send(Buffer.from([Protocol.JOIN_ROOM]));
    await waitFor(() => a.room.state.seats?.size === 3, "three seats");
    slow.socket.send(roomData("bet", { amountMinor: 1_000 }));
    await waitFor(() => a.room.state.seats.get("2")?.betMinor === "1000", "Sam's bet");

    relay.stall();
    // A table sends a few hundred bytes a second, so the kernel's socket buffers (megabytes on loopback) would take
    // hours to fill; the room's own send path carries the same bytes to Sam at once.
    const { client: samOnServer, socket } = serverSide(roomId, sam!.player.id);
    const filler = [{ type: "filler", text: "x".repeat(16 * 1024) }];
    const PUSH_LIMIT_BYTES = 64 * 1024 * 1024;
    let pushedBytes = 0;
    let peakBufferedBytes = 0;
    while (socket.readyState === WebSocket.OPEN && pushedBytes < PUSH_LIMIT_BYTES) {
      for (let i = 0; i < 16; i++) {
        samOnServer.send("events", filler);
        pushedBytes += 16 * 1024;
        peakBufferedBytes = Math.max(peakBufferedBytes, socket.bufferedAmount);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(
      `slow client: cut off after ${pushedBytes} bytes pushed; at most ${peakBufferedBytes} bytes queued in the process (cap ${CAP_BYTES})`,
    );
    expect(socket.readyState).not.toBe(WebSocket.OPEN);
    expect(peakBufferedBytes).toBeLessThanOrEqual(CAP_BYTES + 17 * 1024);
    // Once it reads again it finds the close frame behind what was already in flight.
    relay.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(4010);
    expect(closed.reason).toMatch(/^SLOW_CLIENT: /);
    await waitFor(() => socket.readyState === WebSocket.CLOSED, "the server to release the connection");
    expect(await connectionsCut("SLOW_CLIENT")).toBe(slowCutsBefore + 1);

    // The seat is held as a drop's, then the round goes on without it.
    await waitFor(() => a.room.state.seats.get("2")?.connected === false, "Sam's seat shown as dropped");
    const bettingAt = performance.now();
    a.room.send("bet", { amountMinor: 1_000 });
    b.room.send("bet", { amountMinor: 1_000 });
    await waitFor(() => a.settled.length === 1 && b.settled.length === 1, "the round to settle", 10_000);
    const roundMs = performance.now() - bettingAt;
    // Sam's hand stands once the reconnection window (1 s) is over: well before its 60 s turn would run out.
    expect(roundMs).toBeLessThan(5_000);
    // A natural (theirs or the dealer's) leaves a round with no turn to time: more rounds until two were timed.
    for (let round = 2; a.answeredMs.length + b.answeredMs.length < 2; round++) {
      expect(round, "rounds without a turn to time").toBeLessThanOrEqual(6);
      await waitFor(() => a.room.state.phase === "betting", "the next round's betting");
      a.room.send("bet", { amountMinor: 1_000 });
      b.room.send("bet", { amountMinor: 1_000 });
      await waitFor(() => a.settled.length === round && b.settled.length === round, `round ${round} to settle`);
    }
    const answered = [...a.answeredMs, ...b.answeredMs];
    console.log(
      `the others' first round settled ${Math.round(roundMs)} ms after their bets; their actions answered in ${answered.map(Math.round).join(", ")} ms`,
    );
    for (const ms of answered) expect(ms).toBeLessThan(ACTION_ANSWERED_MS);

    await a.room.leave();
    await b.room.leave();
    const audit = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
      ok: boolean;
    };
    expect(audit.ok, JSON.stringify(audit)).toBe(true);
  }, 60_000);
});

describe.skipIf(!hasPostgres)("a half-open client (its network goes silent)", () => {
  const PING_INTERVAL_MS = 300;
  const PING_MAX_MISSED = 2;
  // A connection silent from just after a pong is terminated at the (missed + 1)th ping tick after it.
  const DETECTED_WITHIN_MS = PING_INTERVAL_MS * (PING_MAX_MISSED + 1);
  // The room hears of it on the next event-loop turns and patches it out; a loaded test machine adds to that.
  const SLACK_MS = 700;
  let scratch: ScratchDatabase;
  let server: TestServer;
  // One per test: a stalled relay also holds the HTTP connections its clients would reuse.
  let relay: StallingRelay;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_fault_halfopen");
    server = await startTestServer({
      DATABASE_URL: scratch.url,
      WS_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
      WS_PING_MAX_MISSED: String(PING_MAX_MISSED),
    });
  });
  beforeEach(async () => {
    relay = await startStallingRelay(server.server.port);
  });
  afterEach(async () => {
    await relay.close();
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  const auditOk = async () => {
    const audit = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
      ok: boolean;
    };
    expect(audit.ok, JSON.stringify(audit)).toBe(true);
  };

  it("blackjack: the silent seat is detected by ping, held, then stood for, and the round goes on", async () => {
    const [vic, ada] = await Promise.all(["Vic", "Ada"].map((name) => signInGuest(server.url, name)));
    // Vic sits first, so the round waits on Vic's turn before Ada's; a turn would wait a minute for an answer.
    const options = {
      bettingSeconds: 60,
      insuranceSeconds: 0.5,
      actionSeconds: 60,
      resultSeconds: 0.2,
      reconnectSeconds: 1,
      patchRateMs: 20,
    };
    const v = await sdkClient(relay.url, vic!.token).create<Table>("blackjack", options);
    for (const type of ["events", "seedRevealed", "error", "roundSettled"]) v.onMessage(type, () => {});
    const a = new StandingPlayer(await sdkClient(server.url, ada!.token).joinById<Table>(v.roomId), ada!);
    await waitFor(() => a.room.state.seats?.size === 2, "both seats");
    const { socket } = serverSide(v.roomId, vic!.player.id);
    // A natural (Vic's or the dealer's) settles a round with no turn for Vic: rounds until Vic has one.
    let rounds = 0;
    for (;;) {
      expect(rounds, "rounds without a turn for Vic").toBeLessThan(6);
      await waitFor(() => a.room.state.phase === "betting", "betting");
      v.send("bet", { amountMinor: 1_000 });
      a.room.send("bet", { amountMinor: 1_000 });
      const vicsTurn = () => a.room.state.phase === "playerTurns" && a.room.state.turnSeat === 0;
      await waitFor(() => vicsTurn() || a.settled.length > rounds, "Vic's turn or the round's end", 5_000);
      if (vicsTurn()) break;
      rounds += 1;
    }

    // Vic's client never learns of it (as a phone out of signal would not) and must not come back on its own later.
    v.reconnection.enabled = false;
    relay.stall();
    const stalledAt = performance.now();
    let peakBufferedBytes = 0;
    const sample = setInterval(() => {
      peakBufferedBytes = Math.max(peakBufferedBytes, socket.bufferedAmount);
    }, 20);
    await waitFor(() => a.room.state.seats.get("0")?.connected === false, "Vic's drop", 5_000);
    const detectedMs = performance.now() - stalledAt;
    clearInterval(sample);
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    expect(peakBufferedBytes).toBe(0);
    await waitFor(() => a.settled.length === rounds + 1, "the round to settle", 10_000);
    const roundMs = performance.now() - stalledAt;
    console.log(
      `half-open blackjack seat: dropped ${Math.round(detectedMs)} ms after going silent (bound ${DETECTED_WITHIN_MS} ms); the round settled after ${Math.round(roundMs)} ms`,
    );
    expect(detectedMs).toBeLessThan(DETECTED_WITHIN_MS + SLACK_MS);
    // Held for the 1 s window, then Vic's hand stands and Ada plays hers.
    expect(roundMs).toBeLessThan(DETECTED_WITHIN_MS + 1_000 + 2 * SLACK_MS);
    for (const ms of a.answeredMs) expect(ms).toBeLessThan(ACTION_ANSWERED_MS);
    expect(matchMaker.getLocalRoomById(v.roomId)?.clients.length).toBe(1);
    await a.room.leave();
    await auditOk();
  }, 60_000);

  it("a client that never confirms its join is cut off within the same bound, and its seat freed", async () => {
    const [ada, nia] = await Promise.all(["Ada", "Nia"].map((name) => signInGuest(server.url, name)));
    const a = new StandingPlayer(
      await sdkClient(server.url, ada!.token).create<Table>("blackjack", { reconnectSeconds: 0.5, patchRateMs: 20 }),
      ada!,
    );
    // Nia's bare socket answers pings (ws does) but never sends the confirmation the SDK sends on JOIN_ROOM, so
    // everything the room broadcasts would wait for her in the process.
    const silent = await joinRaw(server.url, nia!.token, "joinById", a.room.roomId);
    await silent.joined;
    const joinedAt = performance.now();
    let closed: { code: number; reason: string } | undefined;
    void silent.closed.then((close) => {
      closed = close;
    });
    await waitFor(() => closed !== undefined, "the unconfirmed join to be cut off", 5_000);
    const cutMs = performance.now() - joinedAt;
    console.log(
      `unconfirmed join: cut off ${Math.round(cutMs)} ms after the server's JOIN_ROOM (bound ${DETECTED_WITHIN_MS} ms)`,
    );
    expect(closed).toMatchObject({ code: 4002, reason: expect.stringMatching(/^JOIN_NOT_CONFIRMED: /) });
    expect(cutMs).toBeLessThan(DETECTED_WITHIN_MS + SLACK_MS);
    await waitFor(() => a.room.state.seats.size === 1, "Nia's seat to be freed", 5_000);
    expect(matchMaker.getLocalRoomById(a.room.roomId)?.clients.length).toBe(1);
    await a.room.leave();
  }, 30_000);

  it("pool: the silent player's match is forfeited to the other once the reconnection window is over", async () => {
    const [ada, vic] = await Promise.all(["Ada", "Vic"].map((name) => signInGuest(server.url, name)));
    // A stake of its own keeps this pair apart from any other quick match; a shot would wait a minute.
    const options = { mode: "quick", stakeMinor: 900, reconnectSeconds: 1, shotClockSeconds: 60, patchRateMs: 20 };
    const a = await sdkClient(server.url, ada!.token).joinOrCreate<Pool>("pool", options);
    const over: PoolMatchOver[] = [];
    a.onMessage("matchOver", (message: PoolMatchOver) => over.push(message));
    const v = await sdkClient(relay.url, vic!.token).joinOrCreate<Pool>("pool", options);
    for (const room of [a, v])
      for (const type of ["matchStarted", "shot", "decision", "timeout", "error"]) room.onMessage(type, () => {});
    v.onMessage("matchOver", () => {});
    expect(v.roomId).toBe(a.roomId);
    await waitFor(() => a.state.phase === "accepting", "both seats");
    a.send("acceptStake", {});
    v.send("acceptStake", {});
    await waitFor(() => a.state.phase === "playing", "the break");
    const vicSeat = [...a.state.seats].find(([, seat]) => seat.playerId === vic!.player.id)![0];
    const { socket } = serverSide(a.roomId, vic!.player.id);

    v.reconnection.enabled = false;
    relay.stall();
    const stalledAt = performance.now();
    await waitFor(() => a.state.seats.get(vicSeat)?.connected === false, "Vic's drop", 5_000);
    const detectedMs = performance.now() - stalledAt;
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    expect(over).toEqual([]);
    await waitFor(() => over.length === 1, "the forfeit", 10_000);
    const forfeitMs = performance.now() - stalledAt;
    console.log(
      `half-open pool seat: dropped ${Math.round(detectedMs)} ms after going silent (bound ${DETECTED_WITHIN_MS} ms); forfeited after ${Math.round(forfeitMs)} ms`,
    );
    expect(detectedMs).toBeLessThan(DETECTED_WITHIN_MS + SLACK_MS);
    expect(forfeitMs).toBeLessThan(DETECTED_WITHIN_MS + 1_000 + 2 * SLACK_MS);
    expect(over[0]).toMatchObject({ reason: "forfeit", winnerPlayerId: ada!.player.id, refunded: false });
    await a.leave();
    await auditOk();
  }, 60_000);

  it("draws: the silent player's match is forfeited to the other once the reconnection window is over", async () => {
    const [ada, vic] = await Promise.all(["Ada", "Vic"].map((name) => signInGuest(server.url, name)));
    // Nobody would press draw for a minute: only the drop can end this round soon.
    const options = { mode: "private", reconnectSeconds: 1, drawSeconds: 60, patchRateMs: 20 };
    const a = await sdkClient(server.url, ada!.token).create<Draws>("draws", options);
    const settled: RoundSettledMessage[] = [];
    for (const type of ["events", "seedRevealed", "error"]) a.onMessage(type, () => {});
    a.onMessage("roundSettled", (message: RoundSettledMessage) => settled.push(message));
    await waitFor(() => a.state.code?.length === 6, "the challenge code");
    const v = await sdkClient(relay.url, vic!.token).joinOrCreate<Draws>("draws", {
      mode: "private",
      code: a.state.code,
    });
    for (const type of ["events", "seedRevealed", "error", "roundSettled"]) v.onMessage(type, () => {});
    await waitFor(() => a.state.ready, "both seats");
    a.send("stake", { stakeMinor: 5_000 });
    await waitFor(() => a.state.seats.get("0")?.offerMinor === "5000", "Ada's offer");
    v.send("stake", { stakeMinor: 5_000 });
    await waitFor(() => a.state.phase === "awaiting_draws", "the stakes held");
    const { socket } = serverSide(a.roomId, vic!.player.id);

    v.reconnection.enabled = false;
    relay.stall();
    const stalledAt = performance.now();
    await waitFor(() => a.state.seats.get("1")?.connected === false, "Vic's drop", 5_000);
    const detectedMs = performance.now() - stalledAt;
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    expect(settled).toEqual([]);
    await waitFor(() => settled.length === 1, "the forfeit", 10_000);
    const forfeitMs = performance.now() - stalledAt;
    console.log(
      `half-open draws seat: dropped ${Math.round(detectedMs)} ms after going silent (bound ${DETECTED_WITHIN_MS} ms); forfeited after ${Math.round(forfeitMs)} ms`,
    );
    expect(detectedMs).toBeLessThan(DETECTED_WITHIN_MS + SLACK_MS);
    expect(forfeitMs).toBeLessThan(DETECTED_WITHIN_MS + 1_000 + 2 * SLACK_MS);
    expect(settled[0]!.result).toMatchObject({ outcome: "forfeit", winnerSeat: 0 });
    const wallet = server.server.services.wallet;
    expect((await wallet.balance(ada!.player.id)).balanceMinor).toBe(1_000_000n + 4_500n);
    expect((await wallet.balance(vic!.player.id)).balanceMinor).toBe(1_000_000n - 5_000n);
    await a.leave();
    await auditOk();
  }, 60_000);
});
