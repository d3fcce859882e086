import type { Room } from "@colyseus/sdk";
import type { RevealedSeedView, Synced } from "../../protocol/common.ts";
import type { DrawsRoundSettledMessage, DrawsStateView, DrawsWireAttempt } from "../../protocol/draws.ts";
import { compareHighCard } from "../../simulation/cards/index.ts";
import { recomputeDraw, verifyCommitment } from "../../simulation/rng/index.ts";

/** The draws room as the SDK decodes it. */
export type DrawRoomView = Synced<DrawsStateView>;

export type RoundSettledMessage = DrawsRoundSettledMessage;
export type RevealedSeedMessage = RevealedSeedView;
type WireAttempt = DrawsWireAttempt;

export interface DrawBotOptions {
  playerId: string;
  /** The stake to offer for the coming round (ignored where the room fixes it). */
  stakeMinor: (room: DrawRoomView) => bigint;
  /** Stop offering once this many rounds have settled for this bot. */
  maxRounds?: number;
  /** Ask for a seed rotation (so the seed is revealed and the draws verified) every this many settled rounds. */
  rotateEvery?: number;
  /** Start a new match after one ends (open-ended play); a tournament match never rematches. */
  rematchAfterMatchOver?: boolean;
  /** A player's reaction time before each stake, draw and rematch; 0 (the default) acts at once. */
  thinkMs?: number;
}

/**
 * Plays one seat of a draws room through a real SDK connection, from the synced state only: offers a stake (or
 * accepts the one on the table), presses draw for each attempt, and rematches as soon as a round has settled. It is
 * also a verifier: it keeps every attempt it was shown and, when the seed is revealed, checks the commitment,
 * recomputes both cards with `recomputeDraw` and checks who won. `problems` lists everything that did not hold.
 */
export class DrawBot {
  readonly room: Room<unknown, DrawRoomView>;
  readonly options: DrawBotOptions;
  readonly problems: string[] = [];
  /** Attempts waiting for their seed, by commitment. */
  readonly pending = new Map<string, WireAttempt[]>();
  rounds = 0;
  decided = 0;
  /** Decided rounds won by each seat (the room's seats, whoever this bot is). */
  readonly seatWins: [number, number] = [0, 0];
  pushes = 0;
  attempts = 0;
  verified = 0;
  netMinor = 0n;
  reveals = 0;
  #lastSent = "";

  constructor(room: Room, options: DrawBotOptions) {
    this.room = room;
    this.options = options;
    room.onMessage("roundSettled", (message: RoundSettledMessage) => this.settled(message));
    room.onMessage("seedRevealed", (seed: RevealedSeedMessage) => this.verify(seed));
    room.onMessage("events", () => {});
    room.onMessage("error", (error: { type: string; code: string; message: string }) => {
      this.problems.push(`error on ${error.type}: ${error.code} ${error.message}`);
    });
    room.onLeave((code: number) => {
      if (!this.done) this.problems.push(`left the room (code ${code}) after ${this.rounds} rounds`);
    });
    room.onStateChange((state: DrawRoomView) => this.decide(state));
  }

  get done(): boolean {
    return this.options.maxRounds !== undefined && this.rounds >= this.options.maxRounds;
  }

  /** True once every attempt this bot saw was recomputed from a revealed seed. */
  get allVerified(): boolean {
    return this.pending.size === 0 && this.verified === this.attempts;
  }

  mySeat(room: DrawRoomView): number {
    for (const [key, seat] of room.seats) if (seat.playerId === this.options.playerId) return Number(key);
    return -1;
  }

  /** Rounds (`match:round`) whose settlement message has arrived. */
  readonly #settled = new Set<string>();

  private send(key: string, type: string, payload: object = {}) {
    if (key === this.#lastSent) return;
    this.#lastSent = key;
    const thinkMs = this.options.thinkMs ?? 0;
    if (thinkMs === 0) {
      this.room.send(type, payload);
      return;
    }
    setTimeout(() => {
      if (this.room.connection.isOpen) this.room.send(type, payload);
    }, thinkMs);
  }

  private decide(room: DrawRoomView) {
    const seat = this.mySeat(room);
    if (seat < 0 || !room.ready) return;
    if (room.phase === "awaiting_stakes") {
      if (this.done || room.seats.get(String(seat))?.offerMinor !== "0") return;
      this.send(`offer:${room.match}:${room.round}`, "stake", { stakeMinor: this.options.stakeMinor(room).toString() });
    } else if (room.phase === "awaiting_draws") {
      const attempt = room.attempts[room.attempts.length - 1];
      if (!attempt || (seat === 0 ? attempt.card0 : attempt.card1) !== -1) return;
      this.send(`draw:${room.match}:${room.round}:${room.attempts.length}`, "draw");
    } else if (room.phase === "settled") {
      // The round's settlement message comes right after the patch that shows it settled: count it first.
      if (!this.#settled.has(`${room.match}:${room.round}`)) return;
      if (this.done) return;
      if (room.matchOver && (!this.options.rematchAfterMatchOver || room.mode === "tournament")) return;
      const next = room.matchOver ? `${room.match + 1}:1` : `${room.match}:${room.round + 1}`;
      this.send(`offer:${next}`, "rematch", { stakeMinor: this.options.stakeMinor(room).toString() });
    }
  }

  private settled(message: RoundSettledMessage) {
    const { result } = message;
    this.#settled.add(`${message.match}:${result.round}`);
    this.rounds += 1;
    const mine = message.players.indexOf(this.options.playerId);
    if (result.stakesHeld && mine >= 0) {
      this.netMinor += BigInt(result.settlement.seats.find((s) => s.seat === mine)!.netMinor);
    }
    if (result.outcome === "win" && result.winnerSeat !== null) {
      this.decided += 1;
      this.seatWins[result.winnerSeat] += 1;
    } else if (result.outcome === "push") {
      this.pushes += 1;
    }
    for (const attempt of result.attempts) {
      this.attempts += 1;
      const list = this.pending.get(attempt.serverSeedHash) ?? [];
      list.push(attempt);
      this.pending.set(attempt.serverSeedHash, list);
    }
    this.checkOutcome(result);
    const every = this.options.rotateEvery;
    if (every && this.rounds % every === 0) this.room.send("rotateSeed", {});
    this.decide(this.room.state);
  }

  /** The cards as shown must give the outcome the room paid: ties redraw on the next nonce, the higher rank wins. */
  private checkOutcome(result: RoundSettledMessage["result"]) {
    if (result.outcome === "forfeit") return;
    result.attempts.forEach((attempt, index) => {
      const [a, b] = attempt.cards;
      if (a === null || b === null) {
        this.problems.push(`round ${result.round}: attempt ${index} was not fully drawn`);
        return;
      }
      const order = compareHighCard(a, b);
      const last = index === result.attempts.length - 1;
      if (!last && order !== 0) this.problems.push(`round ${result.round}: a decided attempt was redrawn`);
      if (!last && result.attempts[index + 1]!.nonce !== attempt.nonce + 1) {
        this.problems.push(`round ${result.round}: a redraw did not take the next nonce`);
      }
      if (last && result.outcome === "win" && (order > 0 ? 0 : 1) !== result.winnerSeat) {
        this.problems.push(`round ${result.round}: the lower card was paid`);
      }
      if (last && result.outcome === "push" && order !== 0)
        this.problems.push(`round ${result.round}: a push without a tie`);
    });
  }

  private verify(seed: RevealedSeedMessage) {
    this.reveals += 1;
    if (!verifyCommitment(seed.serverSeed, seed.serverSeedHash)) {
      this.problems.push(`revealed seed ${seed.serverSeedHash.slice(0, 8)} breaks its commitment`);
    }
    const attempts = this.pending.get(seed.serverSeedHash) ?? [];
    this.pending.delete(seed.serverSeedHash);
    for (const attempt of attempts) {
      if (attempt.nonce >= seed.nextNonce) this.problems.push(`nonce ${attempt.nonce} was never committed to`);
      const cards = recomputeDraw(
        { serverSeed: seed.serverSeed, clientSeed: attempt.clientSeed, nonce: attempt.nonce },
        2,
        1,
      );
      if (cards[0] !== attempt.cards[0] || cards[1] !== attempt.cards[1]) {
        this.problems.push(
          `nonce ${attempt.nonce}: shown ${attempt.cards.join(",")}, the seed says ${cards.join(",")}`,
        );
      } else {
        this.verified += 1;
      }
    }
  }
}
