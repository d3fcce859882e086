import type { Room } from "@colyseus/sdk";
import { type Guest, sdkClient } from "../support/game-server.ts";
import { waitFor } from "../support/wait.ts";
import { createTournament } from "../tournaments/support.ts";
import { integerBelow, pick, type Random } from "./payloads.ts";

/** One room under fuzz: the intents it takes, how a valid one looks, and how a table of it is set up. */
export interface FuzzTarget {
  name: "lobby" | "blackjack" | "draws" | "pool" | "tournament";
  /** Messages per second one client may send before the room disconnects it (the room's flood limit). */
  messagesPerSecond: number;
  patchRateMs: number;
  /** Each registered intent with a generator of a payload of the right shape (any seat, any phase). */
  intents: Record<string, (random: Random) => unknown>;
  /** Opens a fresh table: the connections that play in it (seated and spectating). */
  open(url: string, guests: Guest[]): Promise<Room[]>;
  /** An extra connection to the same table, for frames that may get it closed. */
  openSpare(url: string, guest: Guest, table: Room[]): Promise<Room>;
  /** A table that can only move on by a timer (a finished round, a finished match) is replaced by a fresh one. */
  finished(state: Record<string, unknown>): boolean;
  /** State fields that change without any message (another connection's arrival or expiry): not compared. */
  unsyncedByMessages?: string[];
}

const PATCH_RATE_MS = 5;

/** Every game room's state has its challenge code (empty until it is set). */
type WithCode = Room<unknown, { code?: string }>;

function waitForCode(room: WithCode): Promise<string> {
  return waitFor(() => room.state.code || false, "the room's challenge code");
}

const minorAmount = (random: Random) =>
  pick(random, ["100", "500", "1000", "2500", String(1 + integerBelow(random, 100_000)), "0", "1"]);
const seat = (random: Random) => pick(random, [0, 1, 2, 6, integerBelow(random, 7)]);
const seed = (random: Random) => `seed-${integerBelow(random, 1e9)}`;

export const lobbyTarget: FuzzTarget = {
  name: "lobby",
  messagesPerSecond: 10,
  patchRateMs: 50,
  intents: { profile: () => ({}), topUp: () => ({}) },
  async open(url, guests) {
    return Promise.all(guests.slice(0, 2).map((guest) => sdkClient(url, guest.token).joinOrCreate("lobby")));
  },
  async openSpare(url, guest) {
    return sdkClient(url, guest.token).joinOrCreate("lobby");
  },
  finished: () => false,
  // Spare connections come and go (and a dropped one is held for reconnection), which moves the count on its own.
  unsyncedByMessages: ["playersOnline"],
};

/** Timers long enough that only messages move the table while it is fuzzed. */
const BLACKJACK_OPTIONS = {
  bettingSeconds: 120,
  insuranceSeconds: 60,
  actionSeconds: 120,
  resultSeconds: 30,
  reconnectSeconds: 30,
  patchRateMs: PATCH_RATE_MS,
  maxMessagesPerSecond: 200,
};

export const blackjackTarget: FuzzTarget = {
  name: "blackjack",
  messagesPerSecond: 200,
  patchRateMs: PATCH_RATE_MS,
  intents: {
    sit: (random) => (random() < 0.3 ? {} : { seat: seat(random) }),
    standUp: () => ({}),
    bet: (random) => ({ amountMinor: minorAmount(random) }),
    insurance: (random) => ({ take: random() < 0.5 }),
    hit: () => ({}),
    stand: () => ({}),
    double: () => ({}),
    split: () => ({}),
    surrender: () => ({}),
    clientSeed: (random) => ({ seed: seed(random) }),
    rotateSeed: () => ({}),
  },
  async open(url, guests) {
    const [alice, bob, watcher] = guests;
    const a = await sdkClient(url, alice!.token).create("blackjack", BLACKJACK_OPTIONS);
    const b = await sdkClient(url, bob!.token).joinById(a.roomId);
    const w = await sdkClient(url, watcher!.token).joinById(a.roomId, { spectate: true });
    return [a, b, w];
  },
  async openSpare(url, guest, table) {
    return sdkClient(url, guest.token).joinById(table[0]!.roomId, { spectate: true });
  },
  finished: (state) => state.phase === "settled",
};

const DRAWS_OPTIONS = { mode: "private", drawSeconds: 120, reconnectSeconds: 30, patchRateMs: PATCH_RATE_MS };

export const drawsTarget: FuzzTarget = {
  name: "draws",
  messagesPerSecond: 100,
  patchRateMs: PATCH_RATE_MS,
  intents: {
    stake: (random) => ({ stakeMinor: minorAmount(random), seat: integerBelow(random, 2) }),
    withdrawStake: (random) => ({ seat: integerBelow(random, 2) }),
    draw: (random) => ({ seat: integerBelow(random, 2) }),
    rematch: (random) => (random() < 0.3 ? {} : { stakeMinor: minorAmount(random) }),
    clientSeed: (random) => ({ seed: seed(random) }),
    rotateSeed: () => ({}),
  },
  async open(url, guests) {
    const [alice, bob] = guests;
    const a = await sdkClient(url, alice!.token).create("draws", DRAWS_OPTIONS);
    const code = await waitForCode(a);
    const b = await sdkClient(url, bob!.token).join("draws", { mode: "private", code });
    return [a, b];
  },
  // A draws room seats two and takes no spectators: frames that may close a connection go to a room of their own.
  async openSpare(url, guest) {
    return sdkClient(url, guest.token).create("draws", DRAWS_OPTIONS);
  },
  finished: (state) => state.matchOver === true,
};

const POOL_OPTIONS = {
  mode: "private",
  stakeMinor: 500,
  shotClockSeconds: 120,
  extensionSeconds: 120,
  acceptSeconds: 600,
  reconnectSeconds: 30,
  animationScale: 0,
  patchRateMs: PATCH_RATE_MS,
};

export const poolTarget: FuzzTarget = {
  name: "pool",
  messagesPerSecond: 20,
  patchRateMs: PATCH_RATE_MS,
  intents: {
    acceptStake: () => ({}),
    clientSeed: (random) => ({ seed: seed(random) }),
    shoot: (random) => ({
      directionRad: (random() - 0.5) * 2 * Math.PI,
      speed: random() * 6,
      side: (random() - 0.5) * 1.2,
      vertical: (random() - 0.5) * 1.2,
      elevationDeg: random() < 0.8 ? 0 : 10,
      calledPocket: random() < 0.7 ? null : integerBelow(random, 6),
      cueBall: random() < 0.6 ? null : { x: (random() - 0.5) * 2.4, y: (random() - 0.5) * 1.2 },
    }),
    decide: (random) =>
      random() < 0.5 ? { kind: "acceptTable" } : { kind: "rerack", breaker: integerBelow(random, 2) },
    extension: () => ({}),
    // Rare, because it ends the match: the fuzzer then moves to a fresh table.
    concede: () => ({}),
  },
  async open(url, guests) {
    const [alice, bob, watcher] = guests;
    const a = await sdkClient(url, alice!.token).create("pool", POOL_OPTIONS);
    const code = await waitForCode(a);
    const b = await sdkClient(url, bob!.token).join("pool", { mode: "private", code });
    const w = await sdkClient(url, watcher!.token).joinById(a.roomId, { spectate: true, code });
    return [a, b, w];
  },
  async openSpare(url, guest, table) {
    const spectated: WithCode = table[0]!;
    const code = spectated.state.code;
    return sdkClient(url, guest.token).joinById(table[0]!.roomId, { spectate: true, code });
  },
  finished: (state) => state.phase === "over",
};

/**
 * Two seats for three players and no start while it is fuzzed: registration never closes (a far start, not started
 * when full), and the third registrant meets TOURNAMENT_FULL.
 */
const TOURNAMENT_SPEC = {
  name: "Fuzz",
  game: "draws",
  entryFeeMinor: 250,
  seatsMin: 2,
  seatsMax: 2,
  prizeBps: [10_000],
  startWhenFull: false,
};
const TOURNAMENT_STARTS_IN_MS = 7 * 24 * 3600 * 1000;

type TournamentLobby = Room<unknown, { tournamentId?: string }>;

export const tournamentTarget: FuzzTarget = {
  name: "tournament",
  messagesPerSecond: 10,
  patchRateMs: 50,
  intents: { register: () => ({}), unregister: () => ({}) },
  // A tournament of its own per table: POST /tournaments takes 10 a window of 10 s from one address, and a table is
  // only replaced when a player's own connection is cut, a few times a run.
  async open(url, guests) {
    const { id } = await createTournament(url, {
      ...TOURNAMENT_SPEC,
      startsAt: new Date(Date.now() + TOURNAMENT_STARTS_IN_MS).toISOString(),
    });
    const rooms: TournamentLobby[] = [];
    for (const guest of guests.slice(0, 3)) {
      rooms.push(await sdkClient(url, guest.token).joinOrCreate("tournament", { tournamentId: id }));
    }
    await Promise.all(rooms.map((room) => waitFor(() => room.state.tournamentId === id, "the tournament's state")));
    return rooms;
  },
  async openSpare(url, guest, table) {
    const lobby: TournamentLobby = table[0]!;
    return sdkClient(url, guest.token).joinOrCreate("tournament", { tournamentId: lobby.state.tournamentId });
  },
  finished: () => false,
};

export const FUZZ_TARGETS = [lobbyTarget, blackjackTarget, drawsTarget, poolTarget, tournamentTarget];
