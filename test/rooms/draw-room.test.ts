import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorMessage, RevealedSeedView, Synced } from "../../protocol/common.ts";
import type { DrawsRoundSettledMessage, DrawsStateView } from "../../protocol/draws.ts";
import { CHALLENGE_CODE_ALPHABET } from "../../rooms/challenge-code.ts";
import { DrawRoom } from "../../rooms/DrawRoom.ts";
import { combineClientSeeds, recomputeDraw, verifyCommitment } from "../../simulation/rng/index.ts";
import {
  type Guest,
  localRoom,
  sdkClient,
  signInGuest,
  startTestServerOnPostgres,
  type TestServer,
} from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const GRANT = 1_000_000n;
const FAST = { drawSeconds: 30, reconnectSeconds: 5, patchRateMs: 5 };

type DrawsState = Synced<DrawsStateView>;
type DrawsRoom = Room<unknown, DrawsState>;

/** One player's connection and everything the room told it. */
class Seat {
  readonly room: DrawsRoom;
  readonly guest: Guest;
  readonly errors: ErrorMessage[] = [];
  readonly settled: DrawsRoundSettledMessage[] = [];
  readonly revealed: RevealedSeedView[] = [];
  left: number | null = null;

  constructor(room: DrawsRoom, guest: Guest) {
    this.room = room;
    this.guest = guest;
    room.onMessage("error", (error: ErrorMessage) => this.errors.push(error));
    room.onMessage("roundSettled", (message: DrawsRoundSettledMessage) => this.settled.push(message));
    room.onMessage("seedRevealed", (seed: RevealedSeedView) => this.revealed.push(seed));
    room.onMessage("events", () => {});
    room.onLeave((code: number) => {
      this.left = code;
    });
  }

  get view(): DrawsState {
    return this.room.state;
  }

  get seat(): number {
    for (const [key, seat] of this.view.seats) if (seat.playerId === this.guest.player.id) return Number(key);
    return -1;
  }

  /** Sends an intent and returns the error it is answered with. */
  async refused(type: string, payload: object = {}): Promise<ErrorMessage> {
    const before = this.errors.length;
    this.room.send(type, payload);
    await waitFor(() => this.errors.length > before, `an error for ${type}`);
    return this.errors[before]!;
  }
}

/** The room as the server holds it (this suite's server runs in-process): what a refused intent must leave alone. */
function serverSnapshot(roomId: string): string {
  const { deadline: _deadline, ...rest } = localRoom(DrawRoom, roomId).state.toJSON();
  return JSON.stringify(rest);
}

describe.skipIf(!hasPostgres)("draws room over real SDK clients", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServerOnPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const wallet = () => server.server.services.wallet;
  const balance = async (guest: Guest) => (await wallet().balance(guest.player.id)).balanceMinor;
  const auditOk = async () => {
    const report = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
      ok: boolean;
    };
    expect(report.ok, JSON.stringify(report)).toBe(true);
  };
  /** Parks `amountMinor` of the player's money in a round of another game, to leave a small balance behind. */
  let parked = 0;
  const park = async (guest: Guest, amountMinor: bigint) => {
    parked += 1;
    const roundId = `test:parked:${parked}`;
    await wallet().openRound({ roundId, game: "test", ownerNodeId: server.server.services.nodeId, leaseMs: 600_000 });
    await wallet().stake({ key: `${roundId}:stake`, roundId, playerId: guest.player.id, amountMinor });
    return roundId;
  };

  /** A private challenge: the first player creates it, the second joins with its code. */
  async function challenge(options: object = {}): Promise<[Seat, Seat]> {
    const [a, b] = await Promise.all([signInGuest(server.url, "Ada"), signInGuest(server.url, "Bo")]);
    const created = await sdkClient(server.url, a.token).create<DrawsState>("draws", {
      mode: "private",
      ...FAST,
      ...options,
    });
    const first = new Seat(created, a);
    await waitFor(() => first.view.code?.length === 6, "the challenge code");
    const joined = await sdkClient(server.url, b.token).joinOrCreate<DrawsState>("draws", {
      mode: "private",
      code: first.view.code,
    });
    const second = new Seat(joined, b);
    await waitFor(() => first.view.ready && second.view.ready, "both seats");
    return [first, second];
  }

  /** Both seats stake `stakeMinor`; resolves once the stakes are held. */
  async function holdStakes(x: Seat, y: Seat, stakeMinor: number) {
    x.room.send("stake", { stakeMinor });
    await waitFor(() => x.view.seats.get(String(x.seat))?.offerMinor === String(stakeMinor), "the first offer");
    y.room.send("stake", { stakeMinor: String(stakeMinor) });
    await waitFor(() => x.view.phase === "awaiting_draws" && y.view.phase === "awaiting_draws", "stakes held");
  }

  it("a private challenge is joined by its code; a wrong code is refused at every door", async () => {
    const [a, b, c] = await Promise.all(["Cy", "Di", "Ed"].map((name) => signInGuest(server.url, name)));
    const created = await sdkClient(server.url, a!.token).create<DrawsState>("draws", { mode: "private", ...FAST });
    const creator = new Seat(created, a!);
    await waitFor(() => creator.view.code?.length === 6, "the challenge code");
    const code = creator.view.code;
    expect(code).toMatch(new RegExp(`^[${CHALLENGE_CODE_ALPHABET}]{6}$`));
    const listed = await matchMaker.query({ name: "draws", roomId: created.roomId });
    expect(listed[0]?.metadata).toMatchObject({ mode: "private", code });

    const wrong = code === "AAAAAA" ? "BBBBBB" : "AAAAAA";
    await expect(
      sdkClient(server.url, c!.token).joinOrCreate<DrawsState>("draws", { mode: "private", code: wrong }),
    ).rejects.toThrow(/NO_SUCH_CHALLENGE/);
    await expect(sdkClient(server.url, c!.token).join("draws", { mode: "private", code: wrong })).rejects.toThrow();
    await expect(sdkClient(server.url, c!.token).joinById(created.roomId, { code: wrong })).rejects.toThrow(
      /WRONG_CODE/,
    );
    await expect(sdkClient(server.url, c!.token).joinById(created.roomId)).rejects.toThrow(/WRONG_CODE/);
    expect(creator.view.ready).toBe(false);

    const joined = new Seat(
      await sdkClient(server.url, b!.token).joinOrCreate<DrawsState>("draws", { mode: "private", code }),
      b!,
    );
    expect(joined.room.roomId).toBe(created.roomId);
    await waitFor(() => creator.view.ready, "the opponent");
    expect([creator.seat, joined.seat]).toEqual([0, 1]);

    // The two agree a stake (nothing can be staked again once it is held), draw, and the pot less 5% goes to the
    // higher card.
    await holdStakes(creator, joined, 2_000);
    expect((await joined.refused("stake", { stakeMinor: 3_000 })).code).toBe("WRONG_PHASE");
    creator.room.send("draw", {});
    joined.room.send("draw", {});
    await waitFor(() => creator.settled.length === 1 || creator.view.attempts.length > 1, "the round or a tie");
    // Ties redraw with the next nonce; keep pressing until the round settles.
    while (creator.settled.length === 0) {
      const n = creator.view.attempts.length;
      creator.room.send("draw", {});
      joined.room.send("draw", {});
      await waitFor(() => creator.settled.length === 1 || creator.view.attempts.length > n, "the next attempt");
    }
    const { result, roundId } = creator.settled[0]!;
    expect(result.stakesHeld).toBe(true);
    expect(result.settlement.potMinor).toBe("4000");
    if (result.outcome === "win") {
      expect(result.settlement.rakeMinor).toBe("200");
      const winner = result.winnerSeat === 0 ? a! : b!;
      const loser = result.winnerSeat === 0 ? b! : a!;
      expect(await balance(winner)).toBe(GRANT + 1_800n);
      expect(await balance(loser)).toBe(GRANT - 2_000n);
    }
    expect(await wallet().escrowBalance(roundId!)).toBe(0n);

    // A seed rotation between rounds reveals the seed: both cards recompute from it.
    creator.room.send("rotateSeed", {});
    await waitFor(() => creator.revealed.length === 1 && joined.revealed.length === 1, "the revealed seed");
    const seed = creator.revealed[0]!;
    expect(verifyCommitment(seed.serverSeed, result.attempts[0]!.serverSeedHash)).toBe(true);
    for (const attempt of result.attempts) {
      const cards = recomputeDraw(
        { serverSeed: seed.serverSeed, clientSeed: attempt.clientSeed, nonce: attempt.nonce },
        2,
        1,
      );
      expect(cards).toEqual(attempt.cards);
    }
    await waitFor(() => creator.view.revealedSeeds.length === 1, "kept");
    expect(creator.view.serverSeedHash).not.toBe(seed.serverSeedHash);

    // One click from either player starts the next round with the last stake; the other's click accepts it.
    joined.room.send("rematch", {});
    await waitFor(() => creator.view.round === 2 && creator.view.seats.get("1")?.offerMinor === "2000", "the rematch");
    creator.room.send("rematch", {});
    await waitFor(() => creator.view.phase === "awaiting_draws" && creator.view.stakeMinor === "2000", "round 2 held");
    await creator.room.leave();
    await joined.room.leave();
    await auditOk();
  });

  it("quick match pairs two players asking for the same stake, and only them", async () => {
    const guests = await Promise.all(["Fa", "Gi", "Ho", "Io"].map((name) => signInGuest(server.url, name)));
    const ask = (guest: Guest, stakeMinor: number) =>
      sdkClient(server.url, guest.token).joinOrCreate<DrawsState>("draws", { mode: "quick", stakeMinor, ...FAST });
    const one = new Seat(await ask(guests[0]!, 700), guests[0]!);
    const other = new Seat(await ask(guests[1]!, 800), guests[1]!);
    expect(other.room.roomId).not.toBe(one.room.roomId);
    const two = new Seat(await ask(guests[2]!, 700), guests[2]!);
    expect(two.room.roomId).toBe(one.room.roomId);
    // The pair is full (and locked): the next player asking for 700 gets a room of their own.
    const three = new Seat(await ask(guests[3]!, 700), guests[3]!);
    expect(three.room.roomId).not.toBe(one.room.roomId);
    expect(three.room.roomId).not.toBe(other.room.roomId);

    await waitFor(() => one.view.ready && two.view.ready, "the pair");
    expect(two.view.ready && !other.view.ready && !three.view.ready).toBe(true);
    // The room plays for the stake it was matched on, and nothing else.
    expect((await one.refused("stake", { stakeMinor: 800 })).code).toBe("STAKE_OUT_OF_RANGE");
    expect((await other.refused("stake", { stakeMinor: 800 })).code).toBe("NO_OPPONENT");
    await holdStakes(one, two, 700);
    expect(await wallet().escrowBalance(one.view.roundId)).toBe(1_400n);
    one.room.send("draw", {});
    two.room.send("draw", {});
    while (one.settled.length === 0) {
      const n = one.view.attempts.length;
      await waitFor(() => one.settled.length === 1 || one.view.attempts.length > n, "the draw");
      if (one.settled.length === 0) {
        one.room.send("draw", {});
        two.room.send("draw", {});
      }
    }
    expect(await wallet().escrowBalance(one.settled[0]!.roundId!)).toBe(0n);

    // One player leaves between rounds: nothing moves, and the other waits in the same room for a new opponent.
    const before = await balance(guests[0]!);
    await two.room.leave();
    await waitFor(() => !one.view.ready && one.view.match === 2, "the room to wait again");
    expect(await balance(guests[0]!)).toBe(before);
    const newcomer = new Seat(await ask(guests[1]!, 700), guests[1]!);
    await other.room.leave();
    expect(newcomer.room.roomId).toBe(one.room.roomId);
    await waitFor(() => one.view.ready, "the new opponent");
    for (const seat of [one, three, newcomer]) await seat.room.leave();
    await auditOk();
  });

  it("a tournament match seats the two named players through seat reservations and refuses anyone else", async () => {
    const [a, b, c] = await Promise.all(["Jo", "Ki", "Lu"].map((name) => signInGuest(server.url, name)));
    const listing = await matchMaker.createRoom("draws", {
      mode: "tournament",
      players: [a!.player.id, b!.player.id],
      stakeMinor: 500,
      bestOf: 1,
      ...FAST,
    });
    const reserve = (guest: Guest) =>
      matchMaker.reserveSeatFor(listing, {}, { playerId: guest.player.id, displayName: guest.player.displayName });
    // Seats follow the order the tournament named the players in, whoever connects first.
    const second = new Seat(
      await sdkClient(server.url, b!.token).consumeSeatReservation<DrawsState>(await reserve(b!)),
      b!,
    );
    const first = new Seat(
      await sdkClient(server.url, a!.token).consumeSeatReservation<DrawsState>(await reserve(a!)),
      a!,
    );
    await waitFor(() => first.view.ready && second.view.ready, "both seats");
    expect([first.seat, second.seat]).toEqual([0, 1]);
    await expect(sdkClient(server.url, c!.token).joinById(listing.roomId)).rejects.toThrow();

    await holdStakes(first, second, 500);
    while (first.settled.length === 0) {
      const n = first.view.attempts.length;
      first.room.send("draw", {});
      second.room.send("draw", {});
      await waitFor(() => first.settled.length === 1 || first.view.attempts.length > n, "the draw");
    }
    const { result } = first.settled[0]!;
    await waitFor(() => first.view.matchOver && first.revealed.length === 1, "the end of the match and its seed");
    if (result.outcome === "win") {
      expect(first.view.matchReason).toBe("series");
      // The tournament reads the winner from the room's listing.
      const [listed] = await matchMaker.query({ name: "draws", roomId: listing.roomId });
      expect(listed?.metadata?.result).toEqual({
        winnerPlayerId: [a!.player.id, b!.player.id][result.winnerSeat!],
        reason: "series",
      });
    }
    // The finished match reveals its seed; a tournament match has no rematch.
    expect(verifyCommitment(first.revealed[0]!.serverSeed, result.attempts[0]!.serverSeedHash)).toBe(true);
    if (result.outcome === "win") expect((await first.refused("rematch", {})).code).toBe("MATCH_OVER");
    await first.room.leave();
    await second.room.leave();
    await auditOk();
  });

  it("a stranger's seat reservation for a tournament match is refused when it connects", async () => {
    const [a, b, c] = await Promise.all(["Mo", "Ny", "Ol"].map((name) => signInGuest(server.url, name)));
    const listing = await matchMaker.createRoom("draws", { mode: "tournament", players: [a!.player.id, b!.player.id] });
    const reservation = await matchMaker.reserveSeatFor(
      listing,
      {},
      { playerId: c!.player.id, displayName: c!.player.displayName },
    );
    await expect(sdkClient(server.url, c!.token).consumeSeatReservation<DrawsState>(reservation)).rejects.toThrow(
      /NOT_IN_THIS_MATCH/,
    );
  });

  it("bad input is answered with its error and changes neither the room nor any balance", async () => {
    const [a, b] = await challenge();
    const balances = async () => [await balance(a.guest), await balance(b.guest)];
    // Steps run one at a time and a refusal is sent when its step has run, so when it arrives the room's state
    // already holds anything the intent changed.
    const unchanged = async (seat: Seat, type: string, payload: object, code: string) => {
      const state = serverSnapshot(a.room.roomId);
      const money = await balances();
      expect((await seat.refused(type, payload)).code).toBe(code);
      expect(serverSnapshot(a.room.roomId)).toBe(state);
      expect(await balances()).toEqual(money);
    };

    await unchanged(a, "stake", { stakeMinor: 99 }, "STAKE_OUT_OF_RANGE");
    await unchanged(a, "stake", { stakeMinor: 100_001 }, "STAKE_OUT_OF_RANGE");
    await unchanged(a, "stake", { stakeMinor: "ten" }, "BAD_MESSAGE");
    await unchanged(a, "stake", { stakeMinor: -5 }, "BAD_MESSAGE");
    await unchanged(a, "stake", { stakeMinor: 1_000, seat: 1 }, "NOT_YOUR_SEAT");
    await unchanged(a, "draw", {}, "WRONG_PHASE");
    await unchanged(a, "withdrawStake", {}, "NO_STAKE");
    await unchanged(a, "rematch", {}, "NO_STAKE");
    await unchanged(a, "shuffle", {}, "UNKNOWN_MESSAGE");
    await unchanged(a, "clientSeed", { seed: "no spaces allowed" }, "BAD_CLIENT_SEED");

    // A stake the balance cannot cover: 960,000 of Ada's money is parked elsewhere, 40,000 is left.
    const parkedRound = await park(a.guest, 960_000n);
    await unchanged(a, "stake", { stakeMinor: 50_000 }, "INSUFFICIENT_FUNDS");

    // Stakes that differ: the second offer is refused and the first stays on the table.
    a.room.send("stake", { stakeMinor: 30_000 });
    await waitFor(() => a.view.seats.get("0")?.offerMinor === "30000", "Ada's offer");
    await unchanged(b, "stake", { stakeMinor: 20_000 }, "STAKES_DIFFER");
    await unchanged(a, "stake", { stakeMinor: 30_000 }, "ALREADY_STAKED");

    // Ada's balance drops below her offer before Bo matches it: nothing is held, both are told, her offer goes.
    const drained = await park(a.guest, 20_000n);
    const money = await balances();
    const bosError = await b.refused("stake", { stakeMinor: 30_000 });
    expect(bosError.code).toBe("OPPONENT_CANNOT_COVER");
    await waitFor(() => a.errors.some((e) => e.code === "INSUFFICIENT_FUNDS" && e.type === "stake"), "Ada told");
    await waitFor(() => a.view.seats.get("0")?.offerMinor === "0", "Ada's offer withdrawn");
    expect(a.view.phase).toBe("awaiting_stakes");
    expect(await balances()).toEqual(money);
    for (const roundId of [parkedRound, drained]) await wallet().refund({ key: `${roundId}:refund`, roundId });

    // With stakes held: drawing twice, drawing for the other seat, staking or rematching mid-round.
    await holdStakes(a, b, 1_000);
    a.room.send("draw", {});
    await waitFor(() => a.view.attempts[0]?.card0 !== -1, "Ada's card");
    await unchanged(a, "draw", {}, "ALREADY_DRAWN");
    await unchanged(a, "draw", { seat: 1 }, "NOT_YOUR_SEAT");
    await unchanged(b, "draw", { seat: 0 }, "NOT_YOUR_SEAT");
    await unchanged(b, "stake", { stakeMinor: 1_000 }, "WRONG_PHASE");
    await unchanged(b, "rematch", {}, "WRONG_PHASE");
    await unchanged(b, "draw", { seat: 2 }, "BAD_MESSAGE");
    expect(await wallet().escrowBalance(a.view.roundId)).toBe(2_000n);
    await a.room.leave();
    await b.room.leave();
    await auditOk();
  });

  it("a player who drops after stakes are held and never comes back forfeits: the other is paid, the escrow is empty", async () => {
    const [a, b] = await challenge({ reconnectSeconds: 0.5, drawSeconds: 60 });
    await holdStakes(a, b, 5_000);
    const roundId = a.view.roundId;
    expect(await wallet().escrowBalance(roundId)).toBe(10_000n);
    a.room.send("draw", {});
    await waitFor(() => a.view.attempts[0]?.card0 !== -1, "Ada's card");

    // Bo's connection dies (no goodbye, no automatic reconnection).
    b.room.reconnection.enabled = false;
    b.room.connection.close();
    await waitFor(() => a.view.seats.get("1")?.connected === false, "the drop");
    // Within the window nothing is decided yet; after it the round is forfeited.
    expect(a.settled).toEqual([]);
    await waitFor(() => a.settled.length === 1, "the forfeit", 5_000);
    const { result } = a.settled[0]!;
    expect(result.outcome).toBe("forfeit");
    expect(result.winnerSeat).toBe(0);
    expect(result.settlement.rakeMinor).toBe("500");
    expect(await wallet().escrowBalance(roundId)).toBe(0n);
    expect(await balance(a.guest)).toBe(GRANT + 4_500n);
    expect(await balance(b.guest)).toBe(GRANT - 5_000n);
    // The match is over, its seed revealed, and a private room closes.
    await waitFor(() => a.revealed.length === 1, "the seed");
    await waitFor(() => a.left !== null, "the room to close");
    await auditOk();
  });

  it("a player who drops and reconnects within the window plays on", async () => {
    const [a, b] = await challenge({ reconnectSeconds: 5, drawSeconds: 60 });
    await holdStakes(a, b, 1_000);
    b.room.reconnection.enabled = false;
    b.room.connection.close();
    await waitFor(() => a.view.seats.get("1")?.connected === false, "the drop");
    const back = new Seat(
      await sdkClient(server.url, b.guest.token).reconnect<DrawsState>(b.room.reconnectionToken),
      b.guest,
    );
    await waitFor(() => back.view.phase === "awaiting_draws" && back.seat === 1, "the reconnection");
    while (a.settled.length === 0) {
      const n = a.view.attempts.length;
      a.room.send("draw", {});
      back.room.send("draw", {});
      await waitFor(() => a.settled.length === 1 || a.view.attempts.length > n, "the draw");
    }
    expect(a.settled[0]!.result.outcome).not.toBe("forfeit");
    await a.room.leave();
    await back.room.leave();
    await auditOk();
  });

  it("players' client seeds go into the next committed seed; a rotation asked mid-round waits for the round to end", async () => {
    const [a, b] = await challenge({ drawSeconds: 0.3 });
    a.room.send("clientSeed", { seed: "ada-lucky-7" });
    b.room.send("clientSeed", { seed: "bo_2" });
    await holdStakes(a, b, 300);
    const committed = a.view.serverSeedHash;
    b.room.send("rotateSeed", {});
    // Bo's draw for Ada's seat is refused in the step after the rotation's, so when the refusal arrives the rotation
    // has been handled: nothing is revealed while the round's stakes are held.
    expect((await b.refused("draw", { seat: 0 })).code).toBe("NOT_YOUR_SEAT");
    expect(a.revealed).toEqual([]);
    expect(localRoom(DrawRoom, a.room.roomId).state.serverSeedHash).toBe(committed);
    expect(a.view.serverSeedHash).toBe(committed);
    await waitFor(() => a.settled.length === 1 && a.revealed.length === 1, "the round, then the reveal", 5_000);
    expect(a.revealed[0]!.serverSeedHash).toBe(committed);
    await waitFor(() => a.view.serverSeedHash !== committed, "the new commitment");
    expect(a.view.clientSeed).toBe(
      combineClientSeeds([
        { seat: 0, clientSeed: "ada-lucky-7" },
        { seat: 1, clientSeed: "bo_2" },
      ]),
    );
    expect(a.view.nonce).toBe(0);
    await a.room.leave();
    await b.room.leave();
    await auditOk();
  });

  it("when a seat does not press draw, the room draws for it after the timeout (auto)", async () => {
    const [a, b] = await challenge({ drawSeconds: 0.2 });
    await holdStakes(a, b, 100);
    await waitFor(() => a.settled.length === 1, "the automatic draws", 5_000);
    expect(a.settled[0]!.result.attempts[0]!.auto).toEqual([true, true]);
    await a.room.leave();
    await b.room.leave();
    await auditOk();
  });

  it("a player who leaves a private challenge before stakes are held moves nothing, and the room closes", async () => {
    const [a, b] = await challenge();
    a.room.send("stake", { stakeMinor: 1_000 });
    await waitFor(() => a.view.seats.get("0")?.offerMinor === "1000", "the offer");
    const money = [await balance(a.guest), await balance(b.guest)];
    await b.room.leave();
    await waitFor(() => a.left !== null, "the room to close");
    expect([await balance(a.guest), await balance(b.guest)]).toEqual(money);
    expect(a.settled[0]?.result.stakesHeld).toBe(false);
    await auditOk();
  });
});
