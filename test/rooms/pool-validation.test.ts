import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatchOverMessage, PoolRoomView } from "../../loadtest/bots/pool-bot-client.ts";
import type { ErrorMessage } from "../../protocol/common.ts";
import { splitPot } from "../../simulation/money/pot.ts";
import { tableGeometry } from "../../simulation/pool/index.ts";
import type { PoolReplay } from "../../src/replays/format.ts";
import { replayPoolMatch } from "../../src/replays/verify.ts";
import {
  type Guest,
  sdkClient,
  signInGuest,
  startTestServerOnPostgres,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const STARTING_GRANT_MINOR = 1_000_000n;
const STAKE = 500;
const g = tableGeometry("9ft");

type View = PoolRoomView;
type PoolRoom = Room<unknown, View>;

function view(room: PoolRoom): View {
  return room.state;
}

function refused(room: Room, type: string, payload?: unknown): Promise<ErrorMessage> {
  return new Promise((resolve) => {
    const off = room.onMessage("error", (error: ErrorMessage) => {
      off();
      resolve(error);
    });
    room.send(type, payload);
  });
}

/** The table as the clients see it: what a refused intent must leave alone. */
function snapshot(room: PoolRoom) {
  const v = view(room);
  return JSON.stringify({
    shotCount: v.shotCount,
    shooter: v.shooter,
    ballInHand: v.ballInHand,
    balls: v.balls.map((b) => [b.id, b.x, b.y]),
    deadline: v.deadline,
  });
}

describe.skipIf(!hasPostgres)(
  "PoolRoom over real SDK clients: challenge by code, refusals, spectators, timers, forfeit",
  () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServerOnPostgres({ PHYSICS_BACKEND: "cpu" });
    });
    afterAll(async () => {
      await server?.stop();
    });

    async function privateMatch(options: Record<string, unknown>) {
      const [alice, bob, carol] = await Promise.all(["Alice", "Bob", "Carol"].map((n) => signInGuest(server.url, n)));
      const a = await sdkClient(server.url, alice!.token).create<View>("pool", {
        mode: "private",
        stakeMinor: STAKE,
        ...options,
      });
      await waitFor(() => view(a).code?.length === 6, "the challenge code");
      const code = view(a).code;
      // A wrong code is refused both when looking the challenge up and when joining the room by its id.
      await expect(
        sdkClient(server.url, bob!.token).join<View>("pool", { mode: "private", code: "ZZZZZZ" }),
      ).rejects.toThrow();
      await expect(sdkClient(server.url, bob!.token).joinById<View>(a.roomId, { code: "ZZZZZZ" })).rejects.toThrow(
        /WRONG_CODE/,
      );
      const b = await sdkClient(server.url, bob!.token).join<View>("pool", { mode: "private", code });
      expect(b.roomId).toBe(a.roomId);
      await expect(sdkClient(server.url, carol!.token).joinById<View>(a.roomId, { spectate: true })).rejects.toThrow(
        /WRONG_CODE/,
      );
      const c = await sdkClient(server.url, carol!.token).joinById<View>(a.roomId, { spectate: true, code });
      const shots: string[][] = [[], [], []];
      const over: (MatchOverMessage | null)[] = [null, null, null];
      [a, b, c].forEach((room, i) => {
        room.onMessage("shot", (m: unknown) => shots[i]!.push(JSON.stringify(m)));
        room.onMessage("matchOver", (m: MatchOverMessage) => {
          over[i] = m;
        });
        for (const type of ["decision", "timeout", "matchStarted"]) room.onMessage(type, () => {});
      });
      await waitFor(() => view(a).phase === "accepting", "both seats");
      const rooms: [PoolRoom, PoolRoom, PoolRoom] = [a, b, c];
      return { guests: [alice!, bob!, carol!] as Guest[], rooms, shots, over, code };
    }

    it("refuses every bad intent with a clear error and changes nothing; spectators see the same shots and cannot act", async () => {
      const { guests, rooms, shots } = await privateMatch({
        shotClockSeconds: 30,
        extensionSeconds: 10,
        animationScale: 1,
      });
      const [a, b, c] = rooms;
      expect((await refused(a, "shoot", { directionRad: 0, speed: 1 })).code).toBe("NOT_STARTED");
      expect((await refused(c, "acceptStake", {})).code).toBe("NOT_SEATED");
      a.send("acceptStake", {});
      b.send("acceptStake", {});
      await waitFor(() => view(a).phase === "playing" && view(a).balls.length === 15, "the break");
      for (const guest of guests.slice(0, 2)) {
        expect(await walletBalance(server.url, guest.token)).toBe(STARTING_GRANT_MINOR - BigInt(STAKE));
      }
      const breaker = view(a).shooter;
      const [shooter, waiter] = breaker === 0 ? [a, b] : [b, a];
      const apex = [...view(a).balls].reduce((p, q) => (p.x < q.x ? p : q));
      const kitchen = { x: g.head_string_x_m - 0.3, y: 0.1 };
      const breakShot = {
        directionRad: Math.atan2(apex.y - kitchen.y, apex.x - kitchen.x),
        speed: 10,
        cueBall: kitchen,
      };
      const before = snapshot(a);
      const cases: [PoolRoom, string, unknown, string][] = [
        [waiter, "shoot", breakShot, "NOT_YOUR_TURN"],
        [c, "shoot", breakShot, "NOT_SEATED"],
        [c, "decide", { kind: "acceptTable" }, "NOT_SEATED"],
        [c, "extension", {}, "NOT_SEATED"],
        [shooter, "shoot", { ...breakShot, speed: Number.NaN }, "BAD_MESSAGE"],
        [shooter, "shoot", { ...breakShot, directionRad: Number.POSITIVE_INFINITY }, "BAD_MESSAGE"],
        [shooter, "shoot", { ...breakShot, speed: "fast" }, "BAD_MESSAGE"],
        [shooter, "shoot", { ...breakShot, speed: 13.6 }, "SPEED_TOO_HIGH"],
        [shooter, "shoot", { ...breakShot, side: 0.5, vertical: 0.2 }, "MISCUE"],
        [shooter, "shoot", { ...breakShot, elevationDeg: 30 }, "ELEVATION_NOT_SUPPORTED"],
        [shooter, "shoot", { ...breakShot, cueBall: null }, "PLACEMENT_REQUIRED"],
        [shooter, "shoot", { ...breakShot, cueBall: { x: -g.half_length_m - 0.1, y: 0 } }, "OFF_TABLE"],
        [shooter, "shoot", { ...breakShot, cueBall: { x: 0, y: 0 } }, "NOT_BEHIND_HEAD_STRING"],
        [shooter, "shoot", { ...breakShot, cueBall: { x: apex.x, y: apex.y } }, "NOT_BEHIND_HEAD_STRING"],
        [shooter, "decide", { kind: "acceptTable" }, "NO_DECISION_PENDING"],
        [shooter, "teleport", {}, "UNKNOWN_MESSAGE"],
      ];
      for (const [room, type, payload, code] of cases) {
        const error = await refused(room, type, payload);
        expect(error.code, `${type} ${JSON.stringify(payload)}`).toBe(code);
        expect(error.type).toBe(type);
        expect(error.message.length).toBeGreaterThan(5);
      }
      expect(snapshot(a)).toBe(before);

      // The break is played; while its balls are still moving (the animation window) nothing else is taken.
      shooter.send("shoot", breakShot);
      await waitFor(() => view(a).shotInProgress, "the break to be accepted");
      expect((await refused(shooter, "shoot", breakShot)).code).toBe("SHOT_IN_PROGRESS");
      expect((await refused(waiter, "shoot", { directionRad: 0, speed: 1 })).code).toBe("SHOT_IN_PROGRESS");
      expect((await refused(waiter, "decide", { kind: "acceptTable" })).code).toBe("SHOT_IN_PROGRESS");
      await waitFor(() => !view(a).shotInProgress && view(a).deadline > 0, "the break to settle", 30_000);
      await waitFor(() => shots.every((s) => s.length === 1), "the shot message everywhere");
      expect(shots[2]).toEqual(shots[0]);
      expect(shots[1]).toEqual(shots[0]);
      const message = JSON.parse(shots[0]![0]!) as {
        keyframes: { count: number; t: number[]; data: number[] };
        events: { kind: string }[];
        balls: [number, number, number][];
      };
      expect(message.keyframes.count).toBeGreaterThan(16);
      expect(message.keyframes.data.length).toBe(7 * message.keyframes.count);
      expect(message.events.some((e) => e.kind === "ball-ball")).toBe(true);
      expect(message.balls.length).toBe(view(a).balls.length);

      // An extension adds its seconds to the running clock of whoever is to play, once per extension.
      const turn = view(a).shooter;
      const onTurn = turn === 0 ? a : b;
      const offTurn = turn === 0 ? b : a;
      const clock = view(a).deadline;
      expect((await refused(offTurn, "extension", {})).code).toBe("NOT_YOUR_TURN");
      onTurn.send("extension", {});
      await waitFor(() => view(a).deadline > clock, "the extension");
      expect(view(a).deadline - clock).toBeGreaterThan(9_000);
      expect(view(a).seats.get(String(turn))!.extensionsLeft).toBe(1);

      // Conceding ends the match at once: the other player takes the pot less the rake.
      onTurn.send("concede", {});
      await waitFor(() => view(a).phase === "over", "the concession");
      expect(view(a).winnerSeat).toBe(turn === 0 ? 1 : 0);
      expect(view(a).endReason).toBe("concede");
      const split = splitPot([BigInt(STAKE), BigInt(STAKE)], { rakeBps: 500, rakeCapMinor: null });
      const winner = guests[turn === 0 ? 1 : 0]!;
      const loser = guests[turn]!;
      expect(await walletBalance(server.url, winner.token)).toBe(
        STARTING_GRANT_MINOR - BigInt(STAKE) + split.payoutMinor,
      );
      expect(await walletBalance(server.url, loser.token)).toBe(STARTING_GRANT_MINOR - BigInt(STAKE));
      expect(await walletBalance(server.url, guests[2]!.token)).toBe(STARTING_GRANT_MINOR);
      expect((await refused(onTurn, "shoot", breakShot)).code).toBe("MATCH_OVER");
    }, 60_000);

    it("the shot clock rules a shot not taken in time, and a player gone past the reconnection window forfeits", async () => {
      const { guests, rooms, over } = await privateMatch({
        shotClockSeconds: 0.5,
        reconnectSeconds: 0.5,
        animationScale: 0,
      });
      const [a, b] = rooms;
      a.send("acceptStake", {});
      b.send("acceptStake", {});
      await waitFor(() => view(a).phase === "playing" && view(a).deadline > 0, "the break");
      const breaker = view(a).shooter;
      // Nobody breaks: the clock runs out, an illegal break; the next clock accepts the table for the chooser.
      await waitFor(() => view(a).shotCount >= 1 && view(a).shooter !== breaker, "the timeout", 5_000);
      await waitFor(() => view(a).decisionReason === "" && view(a).ballInHand !== "", "the table accepted", 5_000);
      expect(view(a).balls.some((ball) => ball.id === 0)).toBe(true);

      // The breaker's connection dies and does not come back: after the window the match is forfeited.
      const gone = breaker === 0 ? a : b;
      gone.reconnection.enabled = false;
      gone.connection.close(4010, "network went away");
      await waitFor(() => over[2] !== null, "the forfeit", 5_000);
      const result = over[2]!;
      expect(result.reason).toBe("forfeit");
      expect(result.winnerSeat).toBe(breaker === 0 ? 1 : 0);
      const split = splitPot([BigInt(STAKE), BigInt(STAKE)], { rakeBps: 500, rakeCapMinor: null });
      expect(await walletBalance(server.url, guests[result.winnerSeat]!.token)).toBe(
        STARTING_GRANT_MINOR - BigInt(STAKE) + split.payoutMinor,
      );
      expect(await walletBalance(server.url, guests[breaker]!.token)).toBe(STARTING_GRANT_MINOR - BigInt(STAKE));
      const replay = await fetch(`${server.url}/replays/${result.matchId}`);
      const stored = (await replay.json()) as { steps: { kind: string }[]; final: { reason: string } };
      expect(stored.final.reason).toBe("forfeit");
      expect(stored.steps.map((s) => s.kind).slice(0, 2)).toEqual(["timeout", "decision"]);

      const audit = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
        ok: boolean;
      };
      expect(audit.ok, JSON.stringify(audit)).toBe(true);
    }, 60_000);

    it("a tournament match seats the two named players by reservation; the time cap ends it with a winner, replayed", async () => {
      const [a, b, c] = await Promise.all(["Jo", "Ki", "Lu"].map((name) => signInGuest(server.url, name)));
      const listing = await matchMaker.createRoom("pool", {
        mode: "tournament",
        players: [a!.player.id, b!.player.id],
        stakeMinor: STAKE,
        matchSeconds: 1,
        shotClockSeconds: 60,
        animationScale: 0,
      });
      const reserve = (guest: Guest) =>
        matchMaker.reserveSeatFor(listing, {}, { playerId: guest.player.id, displayName: guest.player.displayName });
      // Seats follow the tournament's order, whoever connects first; the room is never offered to quick match.
      const second = await sdkClient(server.url, b!.token).consumeSeatReservation<View>(await reserve(b!));
      const first = await sdkClient(server.url, a!.token).consumeSeatReservation<View>(await reserve(a!));
      await expect(sdkClient(server.url, c!.token).consumeSeatReservation<View>(await reserve(c!))).rejects.toThrow(
        /NOT_IN_THIS_MATCH/,
      );
      const listed = await matchMaker.query({ name: "pool", roomId: listing.roomId });
      expect(listed[0]?.private).toBe(true);
      const over: MatchOverMessage[] = [];
      first.onMessage("matchOver", (m: MatchOverMessage) => over.push(m));
      for (const type of ["decision", "timeout", "matchStarted", "shot"]) first.onMessage(type, () => {});
      for (const type of ["decision", "timeout", "matchStarted", "shot", "matchOver"]) second.onMessage(type, () => {});
      await waitFor(() => view(first).phase === "accepting", "both seats");
      expect(view(first).seats.get("0")!.playerId).toBe(a!.player.id);
      expect(view(first).seats.get("1")!.playerId).toBe(b!.player.id);
      first.send("acceptStake", {});
      second.send("acceptStake", {});
      await waitFor(() => view(first).phase === "playing", "the break");
      const breaker = view(first).breaker;
      // Nobody shoots: after a second the time cap decides. The table is open, so the player who did not break wins.
      await waitFor(() => over.length === 1, "the time cap", 5_000);
      expect(over[0]!.reason).toBe("timeCap");
      expect(over[0]!.winnerSeat).toBe(breaker === 0 ? 1 : 0);
      const guests = [a!, b!];
      const split = splitPot([BigInt(STAKE), BigInt(STAKE)], { rakeBps: 500, rakeCapMinor: null });
      expect(await walletBalance(server.url, guests[over[0]!.winnerSeat]!.token)).toBe(
        STARTING_GRANT_MINOR - BigInt(STAKE) + split.payoutMinor,
      );
      const replay = (await (await fetch(`${server.url}/replays/${over[0]!.matchId}`)).json()) as PoolReplay;
      const report = await replayPoolMatch(replay);
      expect(report.ok, report.problems.join("; ")).toBe(true);
      expect(report.replayedWinnerSeat).toBe(over[0]!.winnerSeat);
    }, 30_000);

    it("a match abandoned by both players refunds both stakes", async () => {
      const { guests, rooms, over } = await privateMatch({ reconnectSeconds: 0.3, shotClockSeconds: 60 });
      const [a, b] = rooms;
      a.send("acceptStake", {});
      b.send("acceptStake", {});
      await waitFor(() => view(a).phase === "playing", "the break");
      for (const room of [a, b]) {
        room.reconnection.enabled = false;
        room.connection.close(4010, "network went away");
      }
      await waitFor(() => over[2] !== null, "the end of the match", 5_000);
      expect(over[2]!.reason).toBe("abandoned");
      expect(over[2]!.refunded).toBe(true);
      expect(over[2]!.winnerSeat).toBe(-1);
      for (const guest of guests) expect(await walletBalance(server.url, guest.token)).toBe(STARTING_GRANT_MINOR);
      const audit = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
        ok: boolean;
      };
      expect(audit.ok, JSON.stringify(audit)).toBe(true);
    }, 30_000);
  },
);
