import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlackjackBot, type TableView } from "../../loadtest/bots/blackjack-bot.ts";
import type { BlackjackEvent, BlackjackRoundSettled } from "../../protocol/blackjack.ts";
import type { RevealedSeedView } from "../../protocol/common.ts";
import { cardToString } from "../../simulation/cards/index.ts";
import { recomputeShoe, verifyCommitment } from "../../simulation/rng/index.ts";
import {
  sdkClient,
  signInGuest,
  startTestServerOnPostgres,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const TABLES = Number(process.env.BJ_TABLES ?? 4);
const ROUNDS_PER_TABLE = Number(process.env.BJ_ROUNDS ?? 250);
const SEATS = 5;
const FAST_TABLE = {
  rules: "strip-6d-s17-das-ls",
  bettingSeconds: 5,
  insuranceSeconds: 5,
  actionSeconds: 5,
  resultSeconds: 0.05,
  patchRateMs: 5,
  // Five bots playing a round every few tens of milliseconds send more than the default 20 messages a second.
  maxMessagesPerSecond: 200,
};

/**
 * What one client saw, checked as it arrives: the cards it was shown, in deal order (the face-down hole card kept
 * as a gap until it is turned), and every 64-hex string it ever received, which must be a commitment or a seed
 * already revealed, never a live server seed.
 */
class TableWitness {
  readonly dealt: (number | null)[] = [];
  readonly shoes: { serverSeed: string; commitment: string; clientSeed: string; cards: number[] }[] = [];
  readonly problems: string[] = [];
  readonly revealed = new Set<string>();
  nets = 0n;
  rounds = 0;
  holeIndex = -1;
  /** Every commitment the table showed: a seed is revealed in a message after the state shows the next one. */
  readonly commitments = new Set<string>();
  /** The cards of the last snapshot, checked once the messages sent after its patch have arrived. */
  previousVisible: number[] | null = null;
  clientSeed = "";

  constructor(room: Room<unknown, TableView>, playerId: string) {
    room.onMessage("events", (events: BlackjackEvent[]) => {
      for (const event of events) {
        if (event.type === "cardDealt" && event.to === "dealer" && event.faceDown) {
          if ("card" in event) this.problems.push("the hole card was sent with its identity");
          this.holeIndex = this.dealt.length;
          this.dealt.push(null);
        } else if (event.type === "cardDealt") {
          this.dealt.push(event.card!);
        } else if (event.type === "holeCardRevealed") {
          this.dealt[this.holeIndex] = event.card;
        }
      }
    });
    room.onMessage("roundSettled", (settled: BlackjackRoundSettled) => {
      this.rounds += 1;
      for (const [key, seat] of room.state.seats) {
        if (seat.playerId !== playerId) continue;
        const mine = settled.result.seats.find((s) => s.seat === Number(key));
        if (mine) this.nets += BigInt(mine.net);
      }
    });
    room.onMessage("seedRevealed", (seed: RevealedSeedView) => {
      this.revealed.add(seed.serverSeed);
      if (!this.commitments.has(seed.serverSeedHash) || !verifyCommitment(seed.serverSeed, seed.serverSeedHash))
        this.problems.push("revealed seed breaks its commitment");
      const shoe = recomputeShoe({ serverSeed: seed.serverSeed, clientSeed: seed.clientSeed, nonce: 0 }, 6);
      const dealt = this.dealt.map((card) => card ?? -1);
      for (let i = 0; i < dealt.length; i++) {
        if (dealt[i] !== shoe[i]) {
          this.problems.push(
            `card ${i} of the shoe was ${cardToString(dealt[i]!)}, the seed says ${cardToString(shoe[i]!)}`,
          );
          break;
        }
      }
      this.shoes.push({
        serverSeed: seed.serverSeed,
        commitment: seed.serverSeedHash,
        clientSeed: seed.clientSeed,
        cards: [...dealt],
      });
      this.dealt.length = 0;
    });
    room.onStateChange((state) => this.checkSnapshot(state));
  }

  private checkSnapshot(state: TableView) {
    // A seed revealed in the state (before its message) counts as revealed when it opens an earlier commitment.
    for (const seed of state.revealedSeeds ?? []) {
      const earlier = this.commitments.has(seed.serverSeedHash) && seed.serverSeedHash !== state.serverSeedHash;
      if (earlier && verifyCommitment(seed.serverSeed, seed.serverSeedHash)) this.revealed.add(seed.serverSeed);
    }
    if (state.serverSeedHash) this.commitments.add(state.serverSeedHash);
    // The decoded state's toJSON gives what the wire carried, which JSON.stringify calls.
    const json = JSON.stringify(state);
    for (const hex of json.match(/[0-9a-f]{64}/g) ?? []) {
      if (hex !== state.serverSeedHash && !this.revealed.has(hex) && !json.includes(`"serverSeedHash":"${hex}"`)) {
        this.problems.push(`a 64-hex value that is no commitment reached the client: ${hex.slice(0, 8)}…`);
      }
    }
    // Every card on the table must be one dealt face up, in the multiset sense. The events that deal a card arrive
    // right after the patch that shows it, so a snapshot is checked when the next one comes, once they are in.
    const visible: number[] = [...state.dealerCards];
    for (const [, seat] of state.seats) for (const hand of seat.hands) visible.push(...hand.cards);
    const previous = this.previousVisible;
    this.previousVisible = visible;
    if (previous) this.checkDealt(previous);
  }

  private checkDealt(visible: readonly number[]) {
    const shown = new Map<number, number>();
    for (const card of this.dealt) if (card !== null) shown.set(card, (shown.get(card) ?? 0) + 1);
    for (const card of visible) {
      const left = shown.get(card) ?? 0;
      if (left === 0) {
        this.problems.push(`card ${cardToString(card)} was on the table before it was dealt face up`);
        return;
      }
      shown.set(card, left - 1);
    }
  }
}

describe.skipIf(!hasPostgres)("blackjack tables played by basic-strategy bots over real SDK clients", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServerOnPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`plays ${TABLES * ROUNDS_PER_TABLE} rounds with ${SEATS} seats: the ledger balances, no client sees hidden cards, every shoe verifies`, async () => {
    const tables = await Promise.all(
      Array.from({ length: TABLES }, async (_, t) => {
        const players = await Promise.all(
          Array.from({ length: SEATS }, (_, s) => signInGuest(server.url, `Bot ${t} ${s}`)),
        );
        const first = await sdkClient(server.url, players[0]!.token).create<TableView>("blackjack", FAST_TABLE);
        const rooms = [first];
        for (const player of players.slice(1)) {
          rooms.push(await sdkClient(server.url, player.token).joinById<TableView>(first.roomId));
        }
        const witnesses = rooms.map((room, s) => new TableWitness(room, players[s]!.player.id));
        for (const [s, room] of rooms.entries()) {
          new BlackjackBot(room, {
            playerId: players[s]!.player.id,
            betMinor: (table) => BigInt(table.minBetMinor) * BigInt(1 + ((table.round + s) % 5)),
            maxRounds: ROUNDS_PER_TABLE,
          });
        }
        return { players, rooms, witnesses };
      }),
    );

    const allConnected = () => tables.every((t) => t.rooms.every((room) => room.connection.isOpen));
    const allPlayed = () => tables.every((t) => t.witnesses[0]!.rounds >= ROUNDS_PER_TABLE);
    await waitFor(() => allPlayed() || !allConnected(), `${ROUNDS_PER_TABLE} rounds at every table`, 560_000);
    expect(allConnected(), "a bot's connection was closed").toBe(true);
    for (const table of tables) for (const room of table.rooms) await room.leave();
    // A table disposes once no round holds stakes, so every balance below is final.
    await waitFor(async () => (await matchMaker.query({ name: "blackjack" })).length === 0, "every table to dispose");

    let rounds = 0;
    let shoesVerified = 0;
    for (const table of tables) {
      rounds += table.witnesses[0]!.rounds;
      for (const witness of table.witnesses) {
        expect(witness.problems).toEqual([]);
        shoesVerified += witness.shoes.length;
      }
      for (const [s, player] of table.players.entries()) {
        const balance = await walletBalance(server.url, player.token);
        expect(balance).toBe(1_000_000n + table.witnesses[s]!.nets);
      }
    }
    expect(rounds).toBeGreaterThanOrEqual(TABLES * ROUNDS_PER_TABLE);
    expect(shoesVerified).toBeGreaterThan(0);

    // The public verifier, given a revealed seed, recomputes every card a client saw dealt from that shoe.
    const shoe = tables[0]!.witnesses[0]!.shoes[0]!;
    const query = new URLSearchParams({
      serverSeed: shoe.serverSeed,
      clientSeed: shoe.clientSeed,
      nonce: "0",
      decks: "6",
      serverSeedHash: shoe.commitment,
    });
    const verified = (await (await fetch(`${server.url}/fair/verify?${query}`)).json()) as {
      serverSeedHashMatches: boolean;
      cards: string[];
    };
    expect(verified.serverSeedHashMatches).toBe(true);
    expect(verified.cards.slice(0, shoe.cards.length)).toEqual(shoe.cards.map((card) => cardToString(card)));

    const audit = await fetch(`${server.url}/admin/audit`, { headers: server.operator });
    const report = (await audit.json()) as { ok: boolean };
    expect(report.ok, JSON.stringify(report)).toBe(true);
  }, 600_000);
});
