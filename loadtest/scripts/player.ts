import type { Options } from "@colyseus/loadtest";
import { Client, type Room } from "@colyseus/sdk";

/**
 * What every load-test player does around its game: sign in as a guest over HTTP, play sessions one after another
 * (join, play a few rounds, leave, think, join again), and now and then lose its connection mid-game and come back
 * on the reconnection token, as a phone on a train would.
 */

export interface Guest {
  token: string;
  player: { id: string; displayName: string };
}

/** Share of sessions in which the connection drops once, at a random moment, and the SDK reconnects. */
const DROP_SHARE = 0.15;
/** A player rests this long between sessions. */
const THINK_MS = { min: 1_000, max: 5_000 };
const SIGN_IN_ATTEMPTS = 10;
/** The SDK reconnects only a room it has been in for this long. */
const SDK_MIN_UPTIME_MS = 5_000;

export function httpEndpoint(endpoint: string): string {
  return endpoint.replace(/^ws(s?):\/\//, "http$1://").replace(/\/+$/, "");
}

export function between(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST /auth/guest; a 429 is waited out as its Retry-After says, so a big ramp-up slows down rather than fails. */
export async function signInGuest(endpoint: string, displayName: string): Promise<Guest> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(`${httpEndpoint(endpoint)}/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ displayName }),
    });
    if (response.status === 201) return (await response.json()) as Guest;
    if (response.status !== 429 || attempt >= SIGN_IN_ATTEMPTS) {
      throw new Error(`guest sign-in failed: ${response.status} ${await response.text()}`);
    }
    await pause(Number(response.headers.get("retry-after") ?? 1) * 1000);
  }
}

export interface Counters {
  sessions: number;
  rounds: number;
  /** Pool shots the room simulated for this process's players. */
  shots: number;
  drops: number;
  reconnects: number;
  /** Matchmaker tickets queued, matched, and the time the matched ones waited in all. */
  tickets: number;
  matched: number;
  waitedMs: number;
}

/** Totals over every client of this process, printed (to the loadtest log) every 10 s. */
export const totals: Counters = {
  sessions: 0,
  rounds: 0,
  shots: 0,
  drops: 0,
  reconnects: 0,
  tickets: 0,
  matched: 0,
  waitedMs: 0,
};
let reporting = false;
function reportTotals() {
  if (reporting) return;
  reporting = true;
  setInterval(() => {
    const queue =
      totals.tickets > 0
        ? `, tickets ${totals.tickets}, matched ${totals.matched} (mean wait ${Math.round(totals.waitedMs / Math.max(1, totals.matched))} ms)`
        : "";
    console.log(
      `sessions ${totals.sessions}, rounds ${totals.rounds}, shots ${totals.shots}, drops ${totals.drops}, reconnects ${totals.reconnects}${queue}`,
    );
  }, 10_000).unref();
}

/** Resolves once the room has broadcast `count` messages of `type` (rounds settled, matches over). */
export function messages(room: Room, type: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    room.onMessage(type, () => {
      seen += 1;
      totals.rounds += 1;
      if (seen >= count) resolve();
    });
    room.onLeave((code: number) => {
      if (seen < count) reject(new Error(`left the ${room.name} room (code ${code}) after ${seen} of ${count}`));
    });
  });
}

/**
 * Resolves once the match in `room` is over: the room says so (`matchOver` message, or `over()` reads it from the
 * state) or closes, as a finished private or tournament room does.
 */
export function matchOver(room: Room, over?: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    room.onMessage("matchOver", () => resolve());
    if (over) room.onStateChange(() => over() && resolve());
    room.onLeave(() => resolve());
  });
}

/** Closes the socket the way a lost network does (4010: the client may come back); the SDK then reconnects. */
function dropLater(room: Room, withinMs: number) {
  const timer = setTimeout(
    () => {
      if (!room.connection.isOpen) return;
      totals.drops += 1;
      room.connection.close(4010, "network lost");
    },
    between(SDK_MIN_UPTIME_MS + 1_000, withinMs),
  );
  room.onLeave(() => clearTimeout(timer));
  room.onReconnect(() => {
    totals.reconnects += 1;
  });
}

export interface Session {
  /** Joins the game; the room is the one this session plays in. */
  join(client: Client, guest: Guest): Promise<Room>;
  /** Plays in the joined room until the session is over (rounds played, match over). */
  play(room: Room, guest: Guest): Promise<void>;
  /** How long a drop may wait into the session. */
  dropWithinMs: number;
  /** Share of sessions with a drop, DROP_SHARE unless given. */
  dropShare?: number;
  /** A join that waits in a queue (until it is matched) runs in the background, so the next client can start. */
  joinWaits?: boolean;
}

/**
 * One load-test client (`main(options)` for `@colyseus/loadtest`): signs in, joins its first game (unless that join
 * waits in a queue), and returns so the next client can start; it then keeps playing sessions in the background until
 * the process stops.
 */
export async function startPlayer(options: Options, session: Session): Promise<void> {
  reportTotals();
  const guest = await signInGuest(options.endpoint, `Load ${options.roomName} ${options.clientId}`);
  const client = new Client(options.endpoint);
  client.auth.token = guest.token;
  const first = session.joinWaits ? null : await session.join(client, guest);
  void (async () => {
    let room: Room | null = first;
    for (;;) {
      try {
        room ??= await session.join(client, guest);
        totals.sessions += 1;
        for (const type of ["events", "seedRevealed", "roundSettled"]) room.onMessage(type, () => {});
        room.onMessage("error", (error: { type: string; code: string; message: string }) => {
          console.warn(`client ${options.clientId}: ${error.type} refused: ${error.code} ${error.message}`);
        });
        if (Math.random() < (session.dropShare ?? DROP_SHARE)) dropLater(room, session.dropWithinMs);
        await session.play(room, guest);
        await room.leave(true);
      } catch (error) {
        console.error(`client ${options.clientId}: ${error instanceof Error ? error.message : String(error)}`);
        if (room?.connection.isOpen) await room.leave(true).catch(() => {});
      }
      room = null;
      await pause(between(THINK_MS.min, THINK_MS.max));
    }
  })();
}
