import { type Client, type Delayed, ServerError } from "@colyseus/core";
import { DRAWS_CLIENT_MESSAGES as M } from "../protocol/draws.ts";
import {
  applyDrawsAction,
  createDrawsMatch,
  type DrawsAction,
  type DrawsActionResult,
  type DrawsEvent,
  type DrawsState,
  otherSeat,
  publicDrawsView,
  type Seat,
} from "../simulation/draws/index.ts";
import type { RevealedSeed } from "../simulation/rng/index.ts";
import { reportMatchResult } from "../src/match-results.ts";
import { services } from "../src/services.ts";
import { reportTournamentMatch } from "../src/tournaments/match-results.ts";
import { normalizeChallengeCode } from "./draws/challenge-code.ts";
import { type DrawRoomOptions, drawMatchmakingOptions, parseDrawRoomOptions } from "./draws/room-options.ts";
import {
  DrawRevealedSeedView,
  DrawRoomState,
  type DrawRoomStateType,
  DrawSeatView,
  syncDraws,
} from "./draws/room-state.ts";
import { GameRoom } from "./game-room.ts";
import { IntentRejected, intent, registerIntents, sendError } from "./intents.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import { normalizeClientOptions, unusedCode } from "./room-options.ts";
import { REVEALED_SEEDS_KEPT, RoomSeeds } from "./room-seeds.ts";
import { RoundLedger } from "./round-ledger.ts";
import { seatOfSession, syncSeatViews } from "./seats.ts";

const SEATS: readonly Seat[] = [0, 1];
/** A private or tournament room closes this long after its match ends, so the last messages reach both players. */
const CLOSE_AFTER_MATCH_MS = 1_000;

interface SeatedPlayer {
  playerId: string;
  displayName: string;
  sessionId: string;
}

export interface DrawJoinOptions {
  /** A private challenge's code; the player who created the challenge needs none. */
  code?: string;
}

export interface DrawRoomMetadata {
  mode: string;
  tier: string;
  stakeMinor?: number;
  code?: string;
  /** Tournament: set when the match ends, for the tournament to read. */
  result?: { winnerPlayerId: string | null; reason: string };
}

/**
 * Draws: two players stake the same amount, each draws a card, the higher card takes the pot less the rake. The
 * engine in simulation/draws decides everything; this room seats the two players (private challenge by code, quick
 * match by stake, or the two players a tournament named), checks who may act, moves both stakes into the round's
 * escrow before the engine commits the hold, settles each round in one ledger transaction, draws for a seat whose
 * timer ran out, and turns a player who never came back into a forfeit.
 */
export class DrawRoom extends GameRoom<{ state: DrawRoomStateType; metadata: DrawRoomMetadata }> {
  static override async onAuth(token: string, options: unknown) {
    const identity = await authenticatePlayer(token);
    await normalizeClientOptions("draws", options, drawMatchmakingOptions);
    return identity;
  }

  override maxClients = 2;
  // A person sends a message or two per round; bots rematch as fast as rounds settle (about three messages a round).
  // Past this Colyseus drops the connection; the step queue bounds the work that gets through.
  override maxMessagesPerSecond = 100;
  override state = new DrawRoomState();

  readonly ledger = new RoundLedger("draws");
  options!: DrawRoomOptions;
  seeds!: RoomSeeds;
  /** The engine's state, live server seed included: never synced, only its public view is. */
  engine!: DrawsState;
  code = "";
  readonly seated: [SeatedPlayer | null, SeatedPlayer | null] = [null, null];
  /** Wallet rounds opened by this room: each hold of stakes gets the next one. */
  walletRounds = 0;
  /** The wallet round holding this round's stakes, from the hold until settlement. */
  openRoundId: string | null = null;
  /** Who staked on each seat this round: the payout goes to them even if they have left since. */
  roundPlayers: [string, string] | null = null;
  /** The stake of the last round held, the default for a rematch. */
  lastStakeMinor: bigint | null = null;
  rotateRequested = false;
  /** Whether the seed was already rotated for the match that ended (a finished match reveals its seed once). */
  rotatedForMatch = false;
  closing = false;
  timer: Delayed | undefined;
  timerKey = "";

  override async onCreate(input: unknown) {
    this.options = parseDrawRoomOptions(input);
    const { mode, config, fixedStakeMinor, players } = this.options;
    this.seeds = new RoomSeeds("draws", this.roomId);
    this.engine = createDrawsMatch(config, this.seeds.initial());
    this.setPatchRate(this.options.patchRateMs);
    this.state.mode = mode;
    const metadata: DrawRoomMetadata = { mode, tier: this.options.tier };
    if (fixedStakeMinor !== null) metadata.stakeMinor = Number(fixedStakeMinor);
    if (mode === "private") {
      this.code = this.options.code ?? (await unusedCode("draws"));
      this.state.code = this.code;
      metadata.code = this.code;
    }
    await this.setMetadata(metadata);
    // A tournament match is only entered through seat reservations the tournament makes for its two players.
    if (mode === "tournament" && players) await this.lock();
    this.syncState();

    registerIntents(this, this.steps, {
      stake: intent(M.stake, (client, { stakeMinor, seat }) => this.stake(client, seat, BigInt(stakeMinor))),
      withdrawStake: intent(M.withdrawStake, (client, { seat }) =>
        this.commit(this.tryApply(this.engine, { type: "withdrawStake", seat: this.requireSeat(client, seat) })),
      ),
      draw: intent(M.draw, (client, { seat }) =>
        this.commit(this.tryApply(this.engine, { type: "draw", seat: this.requireSeat(client, seat) })),
      ),
      rematch: intent(M.rematch, (client, { stakeMinor }) =>
        this.rematch(client, stakeMinor === undefined ? null : BigInt(stakeMinor)),
      ),
      clientSeed: intent(M.clientSeed, (client, { seed }) => {
        this.seeds.setPlayerSeed(this.requireSeat(client), seed);
      }),
      rotateSeed: intent(M.rotateSeed, (client) => {
        this.requireSeat(client);
        this.rotateRequested = true;
        this.rotateIfBetweenRounds();
      }),
    });
  }

  override onJoin(client: Client, options: DrawJoinOptions = {}) {
    const { playerId, displayName } = playerOf(client);
    if (this.seated.some((p) => p?.playerId === playerId)) {
      throw new ServerError(409, "ALREADY_IN_ROOM: this player is already in this room from another connection");
    }
    let seat: number;
    if (this.options.mode === "tournament") {
      seat = this.options.players!.indexOf(playerId);
      if (seat < 0) throw new ServerError(403, "NOT_IN_THIS_MATCH: this match is for two other players");
    } else {
      // The challenge's creator takes the first seat; whoever comes next must know the code.
      const creator = this.seated.every((p) => p === null);
      if (this.options.mode === "private" && !creator && normalizeChallengeCode(options?.code) !== this.code) {
        throw new ServerError(403, "WRONG_CODE: this challenge needs its code");
      }
      seat = this.seated.indexOf(null);
    }
    if (seat < 0 || this.seated[seat]) throw new ServerError(409, "ROOM_FULL: both seats are taken");
    this.seated[seat] = { playerId, displayName, sessionId: client.sessionId };
    this.log().info({ playerId, seat }, "joined draws room");
    this.syncSeats();
  }

  override onLeave(client: Client) {
    const seat = this.seatOfSession(client.sessionId);
    if (seat < 0) return;
    void this.runStep(() => this.seatLeft(seat as Seat, client.sessionId));
  }

  override onBeforeShutdown() {
    this.closing = true;
    this.timerKey = "";
    void this.runStep(() => this.advance());
  }

  override async onDispose() {
    this.timer?.clear();
    // Through the step queue: a step still moving money (the last player's forfeit, say) finishes first.
    await this.steps
      .run(() => this.closeOpenRound())
      .catch((error) => this.log().error({ err: error, roundId: this.openRoundId }, "closing the open round failed"));
  }

  /** The room is going away with stakes held (shutdown deadline): pay a resolved round, refund any other. */
  private async closeOpenRound() {
    const roundId = this.openRoundId;
    if (!roundId) return;
    if (this.engine.phase === "resolved") await this.settleRound();
    else await this.ledger.refund(roundId);
    this.openRoundId = null;
  }

  // ---- intents -------------------------------------------------------------------------------------------

  private async stake(client: Client, claimed: Seat | undefined, stakeMinor: bigint) {
    const seat = this.requireSeat(client, claimed);
    this.requireOpponent();
    await this.commit(await this.offer(this.engine, [], seat, stakeMinor));
  }

  /**
   * One click for the next round: after a settled round it starts the next one (a new match once the last one
   * ended) and offers a stake for the sender; while stakes are being offered it accepts the other seat's offer.
   * The stake is the one given, else the offer on the table, else the last round's.
   */
  private async rematch(client: Client, requested: bigint | null) {
    const seat = this.requireSeat(client);
    this.requireOpponent();
    let base = this.engine;
    const events: DrawsEvent[] = [];
    let newMatch = false;
    if (base.phase === "settled") {
      if (base.match.over) {
        if (this.options.mode === "tournament") throw new IntentRejected("MATCH_OVER", "this tournament match is over");
        base = createDrawsMatch(this.options.config, base.seeds);
        newMatch = true;
      } else {
        const next = this.tryApply(base, { type: "nextRound" });
        base = next.state;
        events.push(...next.events);
      }
    } else if (base.phase !== "awaiting_stakes") {
      throw new IntentRejected("WRONG_PHASE", `cannot start a round in phase ${base.phase}`);
    }
    const stakeMinor = requested ?? base.offers[otherSeat(seat)] ?? this.options.fixedStakeMinor ?? this.lastStakeMinor;
    if (stakeMinor === null) throw new IntentRejected("NO_STAKE", "name a stake: no round has been played yet");
    const result = await this.offer(base, events, seat, stakeMinor);
    if (newMatch) {
      this.state.match += 1;
      this.rotatedForMatch = false;
    }
    await this.commit(result);
  }

  // ---- engine and money ----------------------------------------------------------------------------------

  private tryApply(state: DrawsState, action: DrawsAction): Extract<DrawsActionResult, { ok: true }> {
    const result = applyDrawsAction(state, action);
    if (!result.ok) throw new IntentRejected(result.error.code, result.error.message);
    return result;
  }

  /**
   * Offers `stakeMinor` for `seat` on top of `base`. Nothing is kept unless every check passes: the engine accepts
   * the offer, the player's balance covers it, and, when it matches the other offer, both stakes reach the escrow.
   * Returns the result for the caller to commit.
   */
  private async offer(
    base: DrawsState,
    before: DrawsEvent[],
    seat: Seat,
    stakeMinor: bigint,
  ): Promise<Extract<DrawsActionResult, { ok: true }>> {
    if (this.closing) throw new IntentRejected("ROOM_CLOSING", "the room is closing: no new rounds");
    const result = this.tryApply(base, { type: "stake", seat, stakeMinor });
    // A first offer is checked against the balance; a matching one is checked by moving it into the escrow.
    if (result.events.some((event) => event.type === "stakesHeld")) await this.holdStakes(seat, stakeMinor);
    else await this.requireFunds(seat, stakeMinor);
    return { ok: true, state: result.state, events: [...before, ...result.events] };
  }

  private async requireFunds(seat: Seat, stakeMinor: bigint) {
    const { balanceMinor } = await services().wallet.balance(this.seated[seat]!.playerId);
    if (balanceMinor < stakeMinor) {
      throw new IntentRejected("INSUFFICIENT_FUNDS", `a balance of ${balanceMinor} cannot cover ${stakeMinor}`);
    }
  }

  /** Both stakes into a fresh wallet round, the sender's first; on any refusal the round is refunded whole. */
  private async holdStakes(seat: Seat, stakeMinor: bigint) {
    const other = otherSeat(seat);
    const players: [string, string] = [this.seated[0]!.playerId, this.seated[1]!.playerId];
    this.walletRounds += 1;
    const roundId = `draws:${this.roomId}:${this.walletRounds}`;
    await this.ledger.open(roundId);
    try {
      await this.ledger.stake(roundId, players[seat], stakeMinor, `${roundId}:stake:${seat}`);
    } catch (error) {
      await this.ledger.refund(roundId);
      throw error;
    }
    try {
      await this.ledger.stake(roundId, players[other], stakeMinor, `${roundId}:stake:${other}`);
    } catch (error) {
      await this.ledger.refund(roundId);
      if (!(error instanceof IntentRejected)) throw error;
      // The offer on the table can no longer be covered (the balance moved since it was made): take it back.
      const withdrawn = applyDrawsAction(this.engine, { type: "withdrawStake", seat: other });
      if (withdrawn.ok) await this.commit(withdrawn);
      const otherClient = this.clients.find((c) => c.sessionId === this.seated[other]?.sessionId);
      if (otherClient) sendError(otherClient, "stake", error.code, `your offer was withdrawn: ${error.message}`);
      throw new IntentRejected("OPPONENT_CANNOT_COVER", "the other player can no longer cover the stake");
    }
    this.openRoundId = roundId;
    this.roundPlayers = players;
    this.lastStakeMinor = stakeMinor;
    this.log().info({ roundId, players, stakeMinor: `${stakeMinor}`, match: this.state.match }, "draws round started");
    this.state.roundId = roundId;
  }

  /** Keeps an accepted result, tells the clients, pays a resolved round, and arms what the new phase needs. */
  private async commit(result: Extract<DrawsActionResult, { ok: true }>) {
    this.engine = result.state;
    if (result.events.length > 0) this.announce("events", toWire(result.events));
    this.syncState();
    if (this.engine.phase === "resolved") await this.settleRound();
    if (this.options.mode === "tournament" && result.events.some((event) => event.type === "matchOver")) {
      await this.publishMatchResult();
    }
    this.rotateIfBetweenRounds();
    this.advance();
  }

  /** A tournament match's winner goes into the room's listing, where the tournament finds it with matchMaker.query. */
  private async publishMatchResult() {
    const { winnerSeat, reason } = this.engine.match;
    const players = this.options.players!;
    const winnerPlayerId = winnerSeat === null ? null : players[winnerSeat];
    reportMatchResult({ game: "draws", matchId: this.roomId, players, winnerPlayerId, reason: reason ?? "" });
    await this.setMetadata({ ...this.metadata, result: { winnerPlayerId, reason: reason ?? "" } });
    await reportTournamentMatch(this.roomId, winnerPlayerId, reason ?? "");
  }

  private async settleRound() {
    const result = this.engine.result!;
    const roundId = this.openRoundId;
    const players = this.roundPlayers;
    if (result.stakesHeld) {
      if (!roundId || !players) throw new Error("a round with stakes held has no wallet round");
      const payouts = result.settlement.seats
        .filter((seat) => seat.payoutMinor > 0n)
        .map((seat) => ({ playerId: players[seat.seat], amountMinor: seat.payoutMinor }));
      // Players play each other: the house takes only the rake.
      await this.ledger.settle(roundId, { payouts, houseMinor: 0n, rakeMinor: result.settlement.rakeMinor });
    }
    this.openRoundId = null;
    this.roundPlayers = null;
    this.engine = this.tryApply(this.engine, { type: "settle" }).state;
    if (result.stakesHeld) {
      for (const seat of result.settlement.seats) {
        const view = this.state.seats.get(String(seat.seat));
        if (view) view.lastNetMinor = seat.netMinor.toString();
      }
    }
    this.state.lastOutcome = result.outcome;
    this.state.lastWinnerSeat = result.winnerSeat ?? -1;
    this.log().info(
      { roundId, players, outcome: result.outcome, winnerSeat: result.winnerSeat ?? null },
      "draws round settled",
    );
    this.announce("roundSettled", {
      roundId: result.stakesHeld ? roundId : null,
      match: this.state.match,
      players: players ?? [this.seated[0]?.playerId ?? null, this.seated[1]?.playerId ?? null],
      result: toWire(result),
    });
    this.syncState();
  }

  /** A finished match reveals its seed; so does a player's request, at the first moment between rounds. */
  private rotateIfBetweenRounds() {
    const { phase, offers, match } = this.engine;
    const betweenRounds = phase === "settled" || (phase === "awaiting_stakes" && offers.every((o) => o === null));
    if (!betweenRounds || !(this.rotateRequested || (match.over && !this.rotatedForMatch))) return;
    this.rotateRequested = false;
    if (match.over) this.rotatedForMatch = true;
    const { revealed, next } = this.seeds.rotate(this.engine.seeds);
    this.engine = this.tryApply(this.engine, { type: "useSeeds", seeds: next }).state;
    this.announce("seedRevealed", revealed);
    this.pushRevealed(revealed);
    this.syncState();
  }

  private pushRevealed(revealed: RevealedSeed) {
    this.state.revealedSeeds.push(new DrawRevealedSeedView(revealed));
    while (this.state.revealedSeeds.length > REVEALED_SEEDS_KEPT) this.state.revealedSeeds.shift();
  }

  /** A seat gone for good: before stakes are held nothing moves; with stakes held the other seat wins by forfeit. */
  private async seatLeft(seat: Seat, sessionId: string) {
    const player = this.seated[seat];
    if (!player || player.sessionId !== sessionId) return;
    this.log().info({ playerId: player.playerId, seat }, "left draws room");
    if (!this.engine.match.over && this.seated[otherSeat(seat)]) {
      await this.commit(this.tryApply(this.engine, { type: "forfeit", seat }));
    }
    this.seated[seat] = null;
    this.seeds.clearPlayerSeed(seat);
    this.syncSeats();
    if (this.openRoundId) return; // cannot happen: a forfeit settles the round in the same step
    if (this.options.mode === "quick" && this.seated[otherSeat(seat)] && !this.closing) {
      // The player who stayed waits for a new opponent at the same stake: a fresh match on the current seeds.
      this.engine = createDrawsMatch(this.options.config, this.engine.seeds);
      this.rotatedForMatch = false;
      this.state.match += 1;
      this.state.lastOutcome = "";
      this.state.lastWinnerSeat = -1;
      this.syncState();
      return;
    }
    if (this.options.mode !== "quick" && this.seated[otherSeat(seat)]) {
      this.closing = true;
      this.clock.setTimeout(() => void this.runStep(() => this.advance()), CLOSE_AFTER_MATCH_MS);
    }
  }

  /** Arms the draw timer for a new attempt, or closes a room that is closing once no stakes are held. */
  private advance() {
    if (this.engine.phase === "awaiting_draws") {
      const key = `${this.state.match}:${this.engine.round}:${this.engine.attempts.length}`;
      if (key === this.timerKey) return;
      this.timerKey = key;
      // A closing room does not wait for presses: the cards are fixed by the seeds, so drawing now changes nothing.
      this.schedule(this.closing ? 0 : this.options.drawMs, () => this.autoDraw(key));
      return;
    }
    this.timer?.clear();
    this.timer = undefined;
    this.timerKey = "";
    this.state.deadline = 0;
    if (this.closing) void this.close();
  }

  private schedule(delayMs: number, step: () => void | Promise<void>) {
    this.timer?.clear();
    this.state.deadline = Date.now() + delayMs;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runStep(step);
    }, delayMs);
  }

  /** The timeout rule: the room draws (auto) for each seat that has not drawn this attempt; the cards are the same. */
  private async autoDraw(key: string) {
    for (const seat of SEATS) {
      if (this.engine.phase !== "awaiting_draws") return;
      if (`${this.state.match}:${this.engine.round}:${this.engine.attempts.length}` !== key) return;
      const attempt = this.engine.attempts[this.engine.attempts.length - 1]!;
      if (attempt.cards[seat] === null)
        await this.commit(this.tryApply(this.engine, { type: "draw", seat, auto: true }));
    }
  }

  // ---- seats and state -----------------------------------------------------------------------------------

  private requireSeat(client: Client, claimed?: Seat): Seat {
    const seat = this.seatOfSession(client.sessionId);
    if (seat < 0) throw new IntentRejected("NOT_SEATED", "you have no seat in this room");
    if (claimed !== undefined && claimed !== seat) {
      throw new IntentRejected("NOT_YOUR_SEAT", `you play seat ${seat}, not seat ${claimed}`);
    }
    return seat as Seat;
  }

  private requireOpponent() {
    if (!this.seated[0] || !this.seated[1]) {
      throw new IntentRejected("NO_OPPONENT", "wait for an opponent before staking");
    }
  }

  private seatOfSession(sessionId: string): number {
    return seatOfSession(this.seated, sessionId);
  }

  protected reconnectSeconds() {
    return this.options.reconnectSeconds;
  }

  protected setConnected(sessionId: string, connected: boolean) {
    const seat = this.seatOfSession(sessionId);
    const view = seat >= 0 ? this.state.seats.get(String(seat)) : undefined;
    if (view) view.connected = connected;
  }

  private syncSeats() {
    syncSeatViews(this.seated, this.state.seats, (seat) => new DrawSeatView({ seat }));
    this.state.ready = this.seated[0] !== null && this.seated[1] !== null;
    this.syncState();
  }

  private syncState() {
    syncDraws(this.state, publicDrawsView(this.engine));
  }
}

/** Bigints become decimal strings on the wire. */
function toWire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}
