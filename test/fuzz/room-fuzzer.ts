import type { Room } from "@colyseus/sdk";
import { type Guest, signInGuest, walletBalance } from "../support/game-server.ts";
import {
  garbageFrame,
  heavyValue,
  integerBelow,
  mutatePayload,
  pick,
  type Random,
  randomValue,
  unknownMessageName,
} from "./payloads.ts";
import type { FuzzTarget } from "./targets.ts";

interface ErrorReply {
  type: string;
  code: string;
  message: string;
}

/** What one room's run found. Crashes are counted by the caller, which owns the server process. */
export interface FuzzCounts {
  room: string;
  tried: number;
  rejected: number;
  accepted: number;
  rawFrames: number;
  documentedDisconnects: number;
  tables: number;
  violations: string[];
  /** What the payloads that got a player disconnected (4002) looked like. */
  disconnectCauses: Set<string>;
}

/** A rejection's reply must arrive within this, or the message counts as taken (or ignored) and is not checked. */
const REPLY_WAIT_MS = 150;
/** A taken message's effects (wallet round trips, dealing, a simulated shot) have landed once state is this still. */
const SETTLED_QUIET_MS = 100;
/** A server-side frame cap larger than this closes the connection (1009), by design. */
const FRAME_CAP_BYTES = 16 * 1024;
/**
 * Close codes a connection may get for a frame that is not a room message: ws protocol errors, 1009 over the size
 * cap, 4002 a body msgpack cannot decode, 4000 a frame whose first byte is the protocol's LEAVE_ROOM.
 */
const DOCUMENTED_CLOSE_CODES = new Set([1002, 1003, 1006, 1007, 1009, 4000, 4002]);
const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,40}$/;
const PROBE = "fuzzProbe";

/** A connection plus what the fuzzer has seen on it. */
class Actor {
  readonly room: Room;
  readonly guest: Guest;
  readonly errors: ErrorReply[] = [];
  closeCode: number | null = null;
  readonly #sentAt: number[] = [];
  readonly #budgetPerSecond: number;

  constructor(room: Room, guest: Guest, messagesPerSecond: number) {
    this.room = room;
    this.guest = guest;
    // Stay well under the room's flood limit (probes count too): a flood disconnect is its own, separate behaviour.
    this.#budgetPerSecond = Math.max(2, Math.floor(messagesPerSecond * 0.6));
    room.onMessage("error", (error: ErrorReply) => this.errors.push(error));
    room.onMessage("*", () => {});
    room.onLeave((code: number) => {
      this.closeCode = code;
    });
    room.reconnection.maxRetries = 0;
  }

  get open(): boolean {
    return this.closeCode === null;
  }

  async paced(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.#sentAt.length > 0 && now - this.#sentAt[0]! >= 1000) this.#sentAt.shift();
      if (this.#sentAt.length < this.#budgetPerSecond) break;
      // The flood limit is a per-second window: wait for its oldest message to leave it.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (now - this.#sentAt[0]!) + 1));
    }
    this.#sentAt.push(Date.now());
  }

  /** Sends and waits for this message's error reply; null when none came (taken, ignored, or the connection closed). */
  async send(type: string | number, payload: unknown): Promise<ErrorReply | null> {
    await this.paced();
    const seen = this.errors.length;
    try {
      this.room.send(type as string, payload);
    } catch {
      return null;
    }
    const echoed = typeof type === "string" && /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(type) ? type : "?";
    const deadline = Date.now() + REPLY_WAIT_MS;
    while (Date.now() < deadline && this.open) {
      const reply = this.errors.slice(seen).find((error) => error.type === echoed || error.type === "?");
      if (reply) return reply;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return null;
  }

  /** A round trip the room always answers with UNKNOWN_MESSAGE; false when the connection is gone. */
  async probe(timeoutMs = 5_000): Promise<boolean> {
    await this.paced();
    const seen = this.errors.length;
    this.room.send(PROBE, {});
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.open) {
      if (this.errors.slice(seen).some((error) => error.type === PROBE)) return true;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return false;
  }

  state(): Record<string, unknown> {
    return (this.room.state as { toJSON(): Record<string, unknown> }).toJSON();
  }
}

export interface FuzzOptions {
  url: string;
  random: Random;
  durationMs: number;
  /** Intent names of every room, so one room is sent the others'. */
  allIntentNames: string[];
}

/** Fuzzes one room type for `durationMs`, table after table, checking every rejected message against a snapshot. */
export async function fuzzRoom(target: FuzzTarget, options: FuzzOptions): Promise<FuzzCounts> {
  const { url, random } = options;
  const counts: FuzzCounts = {
    room: target.name,
    tried: 0,
    rejected: 0,
    accepted: 0,
    rawFrames: 0,
    documentedDisconnects: 0,
    tables: 0,
    violations: [],
    disconnectCauses: new Set(),
  };
  const guests = await Promise.all(["A", "B", "W", "S"].map((tag) => signInGuest(url, `Fuzz ${target.name} ${tag}`)));
  const players = guests.slice(0, 3);
  const spareGuest = guests[3]!;
  const intentNames = Object.keys(target.intents);
  const foreignNames = options.allIntentNames.filter((name) => !intentNames.includes(name));

  let actors: Actor[] = [];
  let spare: Actor | null = null;
  const openTable = async () => {
    for (const actor of actors) if (actor.open) await actor.room.leave().catch(() => {});
    const rooms = await target.open(url, players);
    actors = rooms.map((room, i) => new Actor(room, players[i]!, target.messagesPerSecond));
    counts.tables += 1;
  };
  await openTable();

  const balances = async () =>
    (await Promise.all(guests.map((guest) => walletBalance(url, guest.token)))).map(String).join(",");
  const views = () =>
    JSON.stringify(
      actors.map((actor) => actor.state()),
      (key, value) => (target.unsyncedByMessages?.includes(key) ? undefined : value),
    );
  /** Waits until every taken message's effects have reached every client. */
  const settle = async () => {
    const deadline = Date.now() + 15_000;
    let last = views();
    let stillSince = Date.now();
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = views();
      const shotRunning = actors.some((actor) => actor.state().shotInProgress === true);
      if (now !== last || shotRunning) {
        last = now;
        stillSince = Date.now();
      } else if (Date.now() - stillSince >= Math.max(SETTLED_QUIET_MS, 3 * target.patchRateMs)) {
        return;
      }
    }
    throw new Error(`${target.name}: the table never came to rest`);
  };
  /**
   * After a rejection: a state change it made would leave on the room's next patch tick. One round trip orders the
   * connection after the rejection; the rest of three patch intervals lets that tick come.
   */
  const flushPatches = async (actor: Actor) => {
    const since = Date.now();
    if (!(await actor.probe())) return false;
    const tickLeftMs = 3 * target.patchRateMs - (Date.now() - since);
    if (tickLeftMs > 0) await new Promise((resolve) => setTimeout(resolve, tickLeftMs));
    return true;
  };

  await settle();
  let before = { views: views(), balances: await balances() };
  const deadline = Date.now() + options.durationMs;
  while (Date.now() < deadline) {
    const roll = random();
    if (roll < 0.1) {
      // Frames meant to break the connection go on a spare one, so the table's own players stay seated.
      spare ??= new Actor(
        await target.openSpare(
          url,
          spareGuest,
          actors.map((a) => a.room),
        ),
        spareGuest,
        target.messagesPerSecond,
      );
      const oversized = random() < 0.3;
      const frame = oversized
        ? new Uint8Array(FRAME_CAP_BYTES + 1 + integerBelow(random, 4096)).fill(13)
        : garbageFrame(random);
      counts.tried += 1;
      counts.rawFrames += 1;
      await spare.paced();
      spare.room.connection.send(frame);
      if (!(await spare.probe())) {
        if (spare.closeCode === null || !DOCUMENTED_CLOSE_CODES.has(spare.closeCode)) {
          counts.violations.push(
            `a ${frame.length}-byte raw frame left the spare connection ${spare.closeCode === null ? "unanswered and open" : `closed with ${spare.closeCode}`}`,
          );
        } else {
          counts.documentedDisconnects += 1;
        }
        if (spare.open) await spare.room.leave().catch(() => {});
        spare = null;
      }
      // The table itself must still answer.
      for (const actor of actors) {
        if (!(await actor.probe())) counts.violations.push(`the table stopped answering after a raw frame`);
      }
      await settle();
      before = { views: views(), balances: await balances() };
      continue;
    }

    const actor = pick(random, actors);
    const known = pick(random, intentNames);
    const valid = target.intents[known]!(random);
    let type: string | number = known;
    let payload: unknown;
    if (roll < 0.4) payload = valid;
    else if (roll < 0.7) payload = mutatePayload(random, valid);
    else if (roll < 0.8) payload = randomValue(random);
    else if (roll < 0.9) {
      type = unknownMessageName(random, foreignNames);
      payload = random() < 0.5 ? valid : randomValue(random);
    } else payload = { ...(valid as object), padding: heavyValue(random, FRAME_CAP_BYTES / 2) };
    // concede ends a pool match at once: keep it rare so matches get played.
    if (type === "concede" && random() < 0.8) type = "extension";

    counts.tried += 1;
    const reply = await actor.send(type, payload);
    if (!actor.open) {
      // Colyseus closes a connection whose payload msgpack cannot decode (4002), ws one over the frame cap (1009);
      // anything else is a finding.
      if (actor.closeCode === 4002 || actor.closeCode === 1009) {
        counts.documentedDisconnects += 1;
        counts.disconnectCauses.add(
          `${actor.closeCode}: ${typeof type === "number" ? "numeric" : "named"} type, ${describe(payload)}`,
        );
      } else {
        counts.violations.push(
          `${String(type).slice(0, 40)} closed a player's connection (code ${actor.closeCode}) instead of an error reply`,
        );
      }
      await openTable();
      await settle();
      before = { views: views(), balances: await balances() };
      continue;
    }
    if (reply) {
      counts.rejected += 1;
      if (!ERROR_CODE.test(reply.code) || reply.code === "INTERNAL" || !reply.message || reply.message.length > 300) {
        counts.violations.push(`unclear error for ${reply.type}: ${JSON.stringify(reply).slice(0, 200)}`);
      }
      if (!(await flushPatches(actor))) {
        counts.violations.push(`the room stopped answering after a rejected ${reply.type}`);
        await openTable();
        await settle();
        before = { views: views(), balances: await balances() };
        continue;
      }
      const after = { views: views(), balances: await balances() };
      if (after.views !== before.views) {
        counts.violations.push(
          `rejected ${reply.type} (${reply.code}) changed the state: ${firstDifference(before.views, after.views)}`,
        );
      }
      if (after.balances !== before.balances) {
        counts.violations.push(
          `rejected ${reply.type} (${reply.code}) moved money: ${before.balances} -> ${after.balances}`,
        );
      }
      before = after;
    } else {
      counts.accepted += 1;
      await settle();
      if (actors.some((a) => target.finished(a.state()))) await openTable();
      await settle();
      before = { views: views(), balances: await balances() };
    }
  }
  for (const actor of [...actors, ...(spare ? [spare] : [])]) if (actor.open) await actor.room.leave().catch(() => {});
  return counts;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return `…${a.slice(Math.max(0, i - 60), i + 60)}… became …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** The shape of a payload, for the report: its kind and how deep and large it is. */
function describe(payload: unknown): string {
  let depth = 0;
  let node = payload;
  while (Array.isArray(node) && node.length === 1) {
    depth += 1;
    node = node[0];
  }
  if (depth > 1) return `an array nested ${depth} deep`;
  if (payload && typeof payload === "object" && "padding" in payload) return `padded with ${describe(payload.padding)}`;
  const kind = payload === null ? "null" : Array.isArray(payload) ? "array" : typeof payload;
  let bytes = 0;
  try {
    bytes = JSON.stringify(payload, (_, v) => (typeof v === "bigint" ? String(v) : v))?.length ?? 0;
  } catch {}
  return `${kind} of about ${bytes} JSON bytes`;
}
