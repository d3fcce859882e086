// Matchmaker players for @colyseus/loadtest: each signs in as a guest, times its round trip to every region that
// GET /regions lists, queues a ticket for the game named by --room at a stake tier, follows it about once a second
// until it is matched, takes the seat it is handed and plays the match (draws: DrawBot, pool: PoolBot), then queues
// again after a short rest.
//   node loadtest/scripts/matchmaker.ts --endpoint ws://HOST:PORT --room draws --numClients 200 --output mm.log
//   (--tier micro|low|mid|high, micro by default; --room pool queues for pool)
import { parseArgs } from "node:util";
import { cli } from "@colyseus/loadtest";
import type { Client, Room } from "@colyseus/sdk";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import {
  MAX_ROUND_TRIP_MS,
  type MatchmakerError,
  type QueuedGame,
  type RegionsView,
  type TicketMatch,
  type TicketRequest,
  type TicketView,
} from "../../protocol/matchmaker.ts";
import { DrawBot } from "../bots/draw-bot.ts";
import { PoolBot } from "../bots/pool-bot-client.ts";
import { type Guest, httpEndpoint, matchOver, pause, startPlayer, totals } from "./player.ts";

const { values: flags } = parseArgs({ options: { tier: { type: "string", default: "micro" } }, strict: false });
const TIER = String(flags.tier);
/** As the docs ask of a client: about once a second. */
const FOLLOW_EVERY_MS = 1_000;
const PINGS_PER_REGION = 3;

/** Where the regions are from this client: the lowest of a few timed GETs of each region's ping URL. */
async function measureRegions(endpoint: string): Promise<Record<string, number>> {
  const base = httpEndpoint(endpoint);
  const regions = (await (await fetch(`${base}/regions`)).json()) as RegionsView;
  const rttsMs: Record<string, number> = {};
  for (const region of regions.regions) {
    let best = MAX_ROUND_TRIP_MS;
    for (let i = 0; i < PINGS_PER_REGION; i++) {
      const startedAt = performance.now();
      const response = await fetch(new URL(region.pingUrl, base)).catch(() => null);
      if (response?.status === 204) best = Math.min(best, performance.now() - startedAt);
    }
    rttsMs[region.region] = Math.round(best);
  }
  return rttsMs;
}

async function call<T>(endpoint: string, guest: Guest, path: string, init: RequestInit = {}): Promise<T> {
  for (;;) {
    const response = await fetch(`${httpEndpoint(endpoint)}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${guest.token}`, "content-type": "application/json" },
    });
    if (response.status === 429) {
      await pause(Number(response.headers.get("retry-after") ?? 1) * 1000);
      continue;
    }
    if (response.ok) return (await response.json()) as T;
    const refusal = (await response.json().catch(() => ({}))) as Partial<MatchmakerError>;
    throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${refusal.error} ${refusal.message}`);
  }
}

/** Queues until a ticket is matched: an expired or dropped ticket is queued again. */
async function queueForMatch(endpoint: string, guest: Guest, request: TicketRequest): Promise<TicketMatch> {
  for (;;) {
    const queuedAt = performance.now();
    let ticket = await call<TicketView>(endpoint, guest, "/matchmaker/tickets", {
      method: "POST",
      body: JSON.stringify(request),
    });
    totals.tickets += 1;
    while (ticket.status === "queued" || ticket.status === "matching") {
      await pause(FOLLOW_EVERY_MS);
      ticket = await call<TicketView>(endpoint, guest, "/matchmaker/ticket");
    }
    if (ticket.status === "matched" && ticket.match) {
      totals.matched += 1;
      totals.waitedMs += performance.now() - queuedAt;
      return ticket.match;
    }
    console.warn(
      `ticket ${ticket.ticketId} ${ticket.status}: ${ticket.reason?.code ?? ""} ${ticket.reason?.message ?? ""}`,
    );
  }
}

const game = (roomName: string): QueuedGame => (roomName === "pool" ? "pool" : "draws");
const rttsByClient = new Map<number, Record<string, number>>();

cli((options) =>
  startPlayer(options, {
    async join(client: Client, guest: Guest): Promise<Room> {
      let rttsMs = rttsByClient.get(options.clientId);
      if (!rttsMs) {
        rttsMs = await measureRegions(options.endpoint);
        rttsByClient.set(options.clientId, rttsMs);
      }
      const match = await queueForMatch(options.endpoint, guest, { game: game(options.roomName), tier: TIER, rttsMs });
      return client.consumeSeatReservation(match.seatReservation);
    },
    async play(room: Room, guest: Guest) {
      if (game(options.roomName) === "pool") {
        const bot = new PoolBot(room, { playerId: guest.player.id });
        room.onMessage("shot", () => {
          totals.shots += 1;
        });
        await matchOver(room);
        for (const problem of bot.problems) console.warn(problem);
        return;
      }
      const bot = new DrawBot(room, {
        playerId: guest.player.id,
        stakeMinor: (view) => BigInt(view.minStakeMinor),
      });
      room.onMessage("roundSettled", () => {
        totals.rounds += 1;
      });
      await matchOver(room, () => (room.state as Synced<DrawsStateView> | undefined)?.matchOver === true);
      for (const problem of bot.problems) console.warn(problem);
    },
    dropWithinMs: 20_000,
    joinWaits: true,
  }),
);
