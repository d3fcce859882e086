import { type Client, type Delayed, ServerError } from "@colyseus/core";
import { BLACKJACK_CLIENT_MESSAGES as M } from "../protocol/blackjack.ts";
import {
  type ActionResult,
  applyAction,
  type BlackjackAction,
  type BlackjackEvent,
  type BlackjackState,
  createFairShoe,
  createTable,
  defaultAction,
  isShoeFinished,
  MAX_SEATS,
  publicView,
  type RoundResult,
  stakeRequired,
} from "../simulation/blackjack/index.ts";
import { houseShare } from "../simulation/money/pot.ts";
import { type FairSeeds, publicSeedState, type SeedState, takeNonce } from "../simulation/rng/index.ts";
import { services } from "../src/services.ts";
import { parseTableOptions, type TableOptions, tableMatchmakingOptions } from "./blackjack/table-options.ts";
import {
  BlackjackTableState,
  type BlackjackTableStateType,
  RevealedSeedView,
  SeatView,
  syncTable,
} from "./blackjack/table-state.ts";
import { GameRoom } from "./game-room.ts";
import { IntentRejected, intent, registerIntents } from "./intents.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import { normalizeClientOptions } from "./room-options.ts";
import { RoomSeeds } from "./room-seeds.ts";
import { mergePayouts, RoundLedger } from "./round-ledger.ts";
import { seatOfSession, syncSeatViews } from "./seats.ts";

const SPECTATORS_MAX = 25;

interface SeatedPlayer {
  playerId: string;
  displayName: string;
  sessionId: string;
  /** False once the player has left for good (not merely dropped): their hand plays on by the timeout rule. */
  present: boolean;
}

export interface BlackjackJoinOptions {
  /** Watch without taking a seat. */
  spectate?: boolean;
}

/**
 * A blackjack table: up to seven seats against the dealer, plus spectators. The engine in simulation/blackjack
 * decides everything; this room checks who may act, moves stakes into the round's escrow before the engine commits
 * an action, settles the round in one ledger transaction, and runs the betting, insurance and action timers.
 */
export class BlackjackRoom extends GameRoom<{ state: BlackjackTableStateType }> {
  static override async onAuth(token: string, options: unknown) {
    const identity = await authenticatePlayer(token);
    await normalizeClientOptions("blackjack", options, tableMatchmakingOptions);
    return identity;
  }

  override maxClients = MAX_SEATS + SPECTATORS_MAX;

  override state = new BlackjackTableState();

  readonly ledger = new RoundLedger("blackjack");
  options!: TableOptions;
  seeds!: RoomSeeds;
  /** The live seed state, server seed included: never synced, only its hash, client seed and nonce are. */
  seedState!: SeedState;
  /** The engine's state, shoe included: never synced, only its public view is. */
  table!: BlackjackState;
  readonly seated: (SeatedPlayer | null)[] = new Array(MAX_SEATS).fill(null);
  /** Who staked on each seat this round: they are paid even if they have left the table since. */
  readonly roundPlayers = new Map<number, string>();
  /** The wallet round holding this round's stakes, from its first stake until it is settled or refunded. */
  openRoundId: string | null = null;
  /** Wallet rounds this table has opened: each round of play gets the next one. */
  walletRounds = 0;
  stakeCount = 0;
  rotateRequested = false;
  closing = false;
  timer: Delayed | undefined;

  override onCreate(options: unknown) {
    this.options = parseTableOptions(options);
    this.seeds = new RoomSeeds("table", this.roomId);
    this.seedState = this.seeds.initial();
    this.setPatchRate(this.options.patchRateMs);
    this.maxMessagesPerSecond = this.options.maxMessagesPerSecond;
    const { rules } = this.options;
    this.table = createTable(rules, createFairShoe(this.nextSeeds(), rules.decks, rules.penetration));
    this.state.rulesPreset = this.options.preset;
    this.state.minBetMinor = rules.minBet.toString();
    this.state.maxBetMinor = rules.maxBet.toString();
    this.state.code = this.options.code ?? "";
    // The listing matchmaking filters on: numbers as numbers, the tier that keeps quick-join off custom tables.
    this.setMetadata({
      tier: this.options.tier,
      rules: this.options.preset,
      minBetMinor: Number(rules.minBet),
      ...(this.options.code ? { code: this.options.code } : {}),
    });
    this.syncState();

    const seatAction = (type: "hit" | "stand" | "double" | "split" | "surrender") =>
      intent(M[type], (client) => this.act(client, { type, seat: this.requireSeat(client) }));
    registerIntents(this, this.steps, {
      sit: intent(M.sit, (client, { seat }) => this.sit(client, seat)),
      standUp: intent(M.standUp, (client) => this.standUp(client)),
      bet: intent(M.bet, (client, { amountMinor }) => this.bet(client, BigInt(amountMinor))),
      insurance: intent(M.insurance, (client, { take }) =>
        this.act(client, { type: take ? "insurance" : "declineInsurance", seat: this.requireSeat(client) }),
      ),
      hit: seatAction("hit"),
      stand: seatAction("stand"),
      double: seatAction("double"),
      split: seatAction("split"),
      surrender: seatAction("surrender"),
      clientSeed: intent(M.clientSeed, (client, { seed }) => {
        this.seeds.setPlayerSeed(this.requireSeat(client), seed);
      }),
      rotateSeed: intent(M.rotateSeed, (client) => {
        this.requireSeat(client);
        this.rotateRequested = true;
      }),
    });
  }

  override onJoin(client: Client, options: BlackjackJoinOptions = {}) {
    const { playerId, displayName } = playerOf(client);
    const mine = this.seated.findIndex((p) => p?.playerId === playerId);
    if (mine >= 0 && this.seated[mine]!.present) {
      throw new ServerError(409, "ALREADY_AT_TABLE: this player is already at this table from another connection");
    }
    this.log().info({ playerId }, "joined blackjack table");
    if (mine >= 0) {
      this.seated[mine] = { playerId, displayName, sessionId: client.sessionId, present: true };
      this.syncSeats();
      return;
    }
    if (!options?.spectate) {
      const free = this.seated.indexOf(null);
      if (free >= 0) this.takeSeat(client, free);
    }
  }

  override onLeave(client: Client) {
    const seat = this.seatOfSession(client.sessionId);
    if (seat < 0) return;
    this.log().info({ playerId: this.seated[seat]!.playerId, seat }, "left blackjack table");
    void this.runStep(() => {
      const player = this.seated[seat];
      if (!player || player.sessionId !== client.sessionId) return;
      player.present = false;
      if (!this.table.seats[seat]) this.freeSeat(seat);
      this.syncSeats();
      this.advance();
    });
  }

  override onBeforeShutdown() {
    this.closing = true;
    void this.runStep(() => this.advance());
  }

  override async onDispose() {
    this.timer?.clear();
    // A step still talking to the wallet (a settlement) finishes first, so the round is not refunded twice over.
    await this.steps.run(() => {}).catch(() => {});
    const roundId = this.openRoundId;
    if (roundId) {
      // The room is going away mid-round (shutdown deadline): return every stake rather than leave it to recovery.
      await this.ledger.refund(roundId).catch((error) => this.log().error({ err: error, roundId }, "refund failed"));
    }
  }

  // ---- intents -------------------------------------------------------------------------------------------

  private sit(client: Client, requested: number | undefined) {
    const { playerId } = playerOf(client);
    if (this.seated.some((p) => p?.playerId === playerId)) {
      throw new IntentRejected("ALREADY_SEATED", "you already have a seat at this table");
    }
    const seat = requested ?? this.seated.indexOf(null);
    if (seat < 0 || this.seated[seat]) throw new IntentRejected("SEAT_TAKEN", "that seat is taken");
    this.takeSeat(client, seat);
  }

  private standUp(client: Client) {
    const seat = this.requireSeat(client);
    if (this.table.seats[seat]) throw new IntentRejected("IN_HAND", "you have a bet in this round");
    this.freeSeat(seat);
    this.syncSeats();
    this.advance();
  }

  private async bet(client: Client, amountMinor: bigint) {
    const seat = this.requireSeat(client);
    if (this.closing) throw new IntentRejected("TABLE_CLOSING", "the table is closing: no new rounds");
    if (this.table.phase === "betting" && this.table.seats[seat]) {
      throw new IntentRejected("ALREADY_BET", "you have already bet this round");
    }
    const action: BlackjackAction = { type: "bet", seat, amount: amountMinor };
    const result = this.tryApply(action);
    const stakeMinor = stakeRequired(this.table, action);
    if (this.openRoundId) {
      await this.stakeFor(seat, stakeMinor);
    } else {
      await this.openRoundWith(seat, stakeMinor);
    }
    this.commit(result);
  }

  /**
   * The round's first bet opens its wallet round. A refused first bet leaves no trace: the balance is checked before
   * anything is opened, and a stake the wallet refuses anyway (the balance moved) closes the empty round again.
   */
  private async openRoundWith(seat: number, stakeMinor: bigint) {
    const playerId = this.seated[seat]!.playerId;
    const { balanceMinor } = await services().wallet.balance(playerId);
    if (balanceMinor < stakeMinor) {
      throw new IntentRejected("INSUFFICIENT_FUNDS", `a balance of ${balanceMinor} cannot cover ${stakeMinor}`);
    }
    this.walletRounds += 1;
    const roundId = `blackjack:${this.roomId}:${this.walletRounds}`;
    await this.ledger.open(roundId);
    this.openRoundId = roundId;
    try {
      await this.stakeFor(seat, stakeMinor);
    } catch (error) {
      this.openRoundId = null;
      await this.ledger.refund(roundId);
      throw error;
    }
    // Money is on the table: the round plays out (by the timeout rule if need be) even if everyone leaves.
    this.autoDispose = false;
  }

  private async act(client: Client, action: BlackjackAction) {
    const result = this.tryApply(action);
    const seat = (action as { seat: number }).seat;
    if (!this.roundPlayers.has(seat) || this.roundPlayers.get(seat) !== playerOf(client).playerId) {
      throw new IntentRejected("NOT_IN_ROUND", "you have no hand in this round");
    }
    const extra = stakeRequired(this.table, action);
    if (extra > 0n) await this.stakeFor(seat, extra);
    this.commit(result);
  }

  // ---- engine and money ----------------------------------------------------------------------------------

  /** Applies `action` to a copy; a refusal is thrown, and a shoe that runs out mid-round is extended and retried. */
  private tryApply(action: BlackjackAction): Extract<ActionResult, { ok: true }> {
    let result = applyAction(this.table, action);
    if (!result.ok && result.error.code === "SHOE_EXHAUSTED") {
      const { rules } = this.options;
      const extended = applyAction(this.table, {
        type: "extendShoe",
        shoe: createFairShoe(this.nextSeeds(), rules.decks, rules.penetration),
      });
      if (extended.ok) {
        this.table = extended.state;
        result = applyAction(this.table, action);
      }
    }
    if (!result.ok) throw new IntentRejected(result.error.code, result.error.message);
    return result;
  }

  private async stakeFor(seat: number, amountMinor: bigint) {
    const roundId = this.openRoundId!;
    const playerId = this.roundPlayers.get(seat) ?? this.seated[seat]!.playerId;
    this.stakeCount += 1;
    await this.ledger.stake(roundId, playerId, amountMinor, `${roundId}:stake:${this.stakeCount}`);
    this.roundPlayers.set(seat, playerId);
  }

  private commit(result: Extract<ActionResult, { ok: true }>) {
    this.table = result.state;
    const events = result.events.map(publicEvent);
    if (events.length > 0) this.announce("events", events);
    this.syncState();
    this.advance();
  }

  private async settleRound(result: RoundResult) {
    const payouts: { playerId: string; amountMinor: bigint }[] = [];
    let stakedMinor = 0n;
    let returnedMinor = 0n;
    for (const seat of result.seats) {
      stakedMinor += seat.totalStaked;
      returnedMinor += seat.totalReturned;
      const playerId = this.roundPlayers.get(seat.seat);
      if (playerId && seat.totalReturned > 0n) payouts.push({ playerId, amountMinor: seat.totalReturned });
      const view = this.state.seats.get(String(seat.seat));
      if (view) view.lastNetMinor = seat.net.toString();
    }
    const roundId = this.openRoundId!;
    // The house banks the game: it keeps what the players lost or covers what they won.
    await this.ledger.settle(roundId, {
      payouts: mergePayouts(payouts),
      houseMinor: houseShare(stakedMinor, returnedMinor),
    });
    this.openRoundId = null;
    this.autoDispose = true;
    this.roundPlayers.clear();
    this.stakeCount = 0;
    this.log().info(
      {
        roundId,
        players: [...this.roundPlayers.values()],
        stakedMinor: `${stakedMinor}`,
        returnedMinor: `${returnedMinor}`,
      },
      "blackjack round settled",
    );
    this.announce("roundSettled", { roundId, result: toWire(result) });
  }

  private async nextRound() {
    let next = applyAction(this.table, { type: "nextRound" });
    if (!next.ok) throw new Error(`nextRound refused: ${next.error.message}`);
    this.table = next.state;
    for (let seat = 0; seat < MAX_SEATS; seat++) {
      if (this.seated[seat] && !this.seated[seat]!.present) this.freeSeat(seat);
    }
    if (isShoeFinished(this.table) || this.rotateRequested) {
      this.rotateRequested = false;
      const { revealed, next: rotated } = this.seeds.rotate(this.seedState);
      this.seedState = rotated;
      this.announce("seedRevealed", revealed);
      this.state.revealedSeeds.push(new RevealedSeedView(revealed));
      while (this.state.revealedSeeds.length > this.seeds.revealed.length) this.state.revealedSeeds.shift();
      const { rules } = this.options;
      next = applyAction(this.table, {
        type: "newShoe",
        shoe: createFairShoe(this.nextSeeds(), rules.decks, rules.penetration),
      });
      if (!next.ok) throw new Error(`newShoe refused: ${next.error.message}`);
      this.table = next.state;
    }
    this.syncSeats();
    this.syncState();
    if (this.closing || this.clients.length === 0) {
      this.close();
      return;
    }
    this.advance();
  }

  /** Arms the timer the phase needs, or moves on at once when nobody is left to wait for. */
  private advance() {
    this.timer?.clear();
    this.timer = undefined;
    this.state.deadline = 0;
    const table = this.table;
    switch (table.phase) {
      case "betting": {
        const bettors = table.seats.filter((s) => s !== null).length;
        if (bettors === 0) {
          if (this.closing) this.close();
          return;
        }
        const waiting = this.seated.some((p, seat) => p?.present && !table.seats[seat]);
        this.schedule(waiting && !this.closing ? this.options.bettingMs : 0, () => this.dealNow());
        return;
      }
      case "insurance":
      case "playerTurns": {
        const owed = defaultAction(table);
        if (!owed) return;
        const seat = (owed as { seat: number }).seat;
        const absent = !this.seated[seat]?.present;
        const wait = table.phase === "insurance" ? this.options.insuranceMs : this.options.actionMs;
        this.schedule(absent ? 0 : wait, () => this.applyTimeout());
        return;
      }
      case "settled":
        // advance() may run again while the result is shown (a player leaves): the money moves only once.
        if (!this.openRoundId) {
          this.schedule(this.options.resultMs, () => this.nextRound());
          return;
        }
        this.schedule(0, async () => {
          if (this.openRoundId) await this.settleRound(this.table.result!);
          this.schedule(this.options.resultMs, () => this.nextRound());
        });
        return;
    }
  }

  private schedule(delayMs: number, step: () => void | Promise<void>) {
    this.timer?.clear();
    this.state.deadline = delayMs > 0 ? Date.now() + delayMs : 0;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runStep(step);
    }, delayMs);
  }

  private dealNow() {
    if (this.table.phase !== "betting") return;
    this.commit(this.tryApply({ type: "deal" }));
    this.log().info(
      {
        roundId: this.openRoundId,
        players: [...this.roundPlayers.values()],
        serverSeedHash: this.state.serverSeedHash,
      },
      "blackjack round dealt",
    );
  }

  /** The timeout rule: a seat that has not decided declines insurance (all at once: one window) or stands. */
  private applyTimeout() {
    const phase = this.table.phase;
    let owed = defaultAction(this.table);
    while (owed) {
      this.commit(this.tryApply(owed));
      owed = phase === "insurance" && this.table.phase === "insurance" ? defaultAction(this.table) : null;
    }
  }

  // ---- seats and state -----------------------------------------------------------------------------------

  private requireSeat(client: Client): number {
    const seat = this.seatOfSession(client.sessionId);
    if (seat < 0) throw new IntentRejected("NOT_SEATED", "take a seat first");
    return seat;
  }

  private seatOfSession(sessionId: string): number {
    return seatOfSession(this.seated, sessionId);
  }

  private takeSeat(client: Client, seat: number) {
    const { playerId, displayName } = playerOf(client);
    this.seated[seat] = { playerId, displayName, sessionId: client.sessionId, present: true };
    this.syncSeats();
  }

  private freeSeat(seat: number) {
    this.seated[seat] = null;
    this.seeds.clearPlayerSeed(seat);
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
    syncSeatViews(this.seated, this.state.seats, (seat) => new SeatView({ seat }));
    this.syncState();
  }

  private syncState() {
    syncTable(this.state, publicView(this.table));
    const seeds = publicSeedState(this.seedState);
    this.state.serverSeedHash = seeds.serverSeedHash;
    this.state.clientSeed = seeds.clientSeed;
    this.state.nonce = seeds.nonce;
  }

  /** The seeds for the next shuffle; the nonce advances. */
  private nextSeeds(): FairSeeds {
    const { nonce, next } = takeNonce(this.seedState);
    this.seedState = next;
    return { serverSeed: next.serverSeed, clientSeed: next.clientSeed, nonce };
  }
}

/** Engine events as clients may see them: the hole card is dealt face down without its identity. */
function publicEvent(event: BlackjackEvent) {
  if (event.type === "cardDealt" && event.to === "dealer" && event.faceDown) {
    return { type: "cardDealt", to: "dealer", faceDown: true };
  }
  return toWire(event);
}

/** Bigints become decimal strings on the wire. */
function toWire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}
