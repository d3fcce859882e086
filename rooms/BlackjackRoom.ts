import type { Client } from "@colyseus/core";
import { BLACKJACK_CLIENT_MESSAGES as M } from "../protocol/blackjack.ts";
import {
  applyAction,
  applyExtendingShoe,
  type BlackjackAction,
  type BlackjackEvent,
  type BlackjackState,
  createTable,
  defaultAction,
  isShoeFinished,
  MAX_SEATS,
  nextTableStep,
  placeBet,
  publicView,
  roundPayouts,
  stakeRequired,
} from "../simulation/blackjack/index.ts";
import { publicEvent, roundSettledMessage } from "./blackjack/messages.ts";
import { ShoeSeeds } from "./blackjack/shoe-seeds.ts";
import {
  type BlackjackJoinOptions,
  parseTableOptions,
  type TableOptions,
  tableMatchmakingOptions,
} from "./blackjack/table-options.ts";
import { TableSeats } from "./blackjack/table-seats.ts";
import {
  BlackjackTableState,
  type BlackjackTableStateType,
  RevealedSeedView,
  SeatView,
  showSettled,
  syncTable,
} from "./blackjack/table-state.ts";
import { GameRoom } from "./game-room.ts";
import { accepted, IntentRejected, intent, registerIntents } from "./intents.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import { normalizeClientOptions } from "./room-options.ts";
import { showRevealedSeed } from "./room-seeds.ts";
import { RoomRounds } from "./round-ledger.ts";
import { requireSeat, seatOfSession, showConnected, syncSeatViews } from "./seats.ts";
import { StepTimer } from "./step-timer.ts";

const SPECTATORS_MAX = 25;

/**
 * A blackjack table: up to seven seats against the dealer, plus spectators. The engine and its table rules
 * (simulation/blackjack) decide everything; this room checks who may act, moves stakes into the round's escrow
 * before the engine's action is kept, settles the round in one ledger transaction, and runs the betting, insurance
 * and action timers.
 */
export class BlackjackRoom extends GameRoom<{ state: BlackjackTableStateType }> {
  static override async onAuth(token: string, options: unknown) {
    const identity = await authenticatePlayer(token);
    await normalizeClientOptions("blackjack", options, tableMatchmakingOptions);
    return identity;
  }

  override maxClients = MAX_SEATS + SPECTATORS_MAX;
  override state = new BlackjackTableState();

  options!: TableOptions;
  shoes!: ShoeSeeds;
  rounds!: RoomRounds;
  readonly seats = new TableSeats((seat) => this.shoes.room.clearPlayerSeed(seat));
  readonly timer = new StepTimer(
    this.clock,
    (step) => this.runStep(step),
    (ms) => (this.state.deadline = ms),
  );
  /** The engine's state, shoe included: never synced, only its public view is. */
  table!: BlackjackState;
  closing = false;

  override onCreate(options: unknown) {
    this.options = parseTableOptions(options);
    this.shoes = new ShoeSeeds(this.roomId, this.options.rules);
    this.rounds = new RoomRounds("blackjack", this.roomId);
    this.setPatchRate(this.options.patchRateMs);
    this.maxMessagesPerSecond = this.options.maxMessagesPerSecond;
    const { rules, preset, code, tier } = this.options;
    this.table = createTable(rules, this.shoes.nextShoe());
    const bets = { minBetMinor: `${rules.minBet}`, maxBetMinor: `${rules.maxBet}` };
    this.state.assign({ rulesPreset: preset, ...bets, code: code ?? "" });
    // The listing matchmaking filters on: numbers as numbers, the tier that keeps quick-join off custom tables.
    this.setMetadata({ tier, rules: preset, minBetMinor: Number(rules.minBet), ...(code ? { code } : {}) });
    this.syncState();

    const seatAction = (type: "hit" | "stand" | "double" | "split" | "surrender") =>
      intent(M[type], (client) => this.act(client, { type, seat: this.seatOf(client) }));
    registerIntents(this, this.steps, {
      sit: intent(M.sit, (client, { seat }) => {
        this.seats.sit(client, seat);
        this.syncSeats();
      }),
      standUp: intent(M.standUp, (client) => this.standUp(client)),
      bet: intent(M.bet, (client, { amountMinor }) => this.bet(client, BigInt(amountMinor))),
      insurance: intent(M.insurance, (client, { take }) =>
        this.act(client, { type: take ? "insurance" : "declineInsurance", seat: this.seatOf(client) }),
      ),
      hit: seatAction("hit"),
      stand: seatAction("stand"),
      double: seatAction("double"),
      split: seatAction("split"),
      surrender: seatAction("surrender"),
      clientSeed: intent(M.clientSeed, (client, { seed }) => this.shoes.room.setPlayerSeed(this.seatOf(client), seed)),
      rotateSeed: intent(M.rotateSeed, (client) => {
        this.seatOf(client);
        this.shoes.room.rotationRequested = true;
      }),
    });
  }

  override onJoin(client: Client, options: BlackjackJoinOptions = {}) {
    this.seats.join(client, options?.spectate === true);
    this.log().info({ playerId: playerOf(client).playerId }, "joined blackjack table");
    this.syncSeats();
  }

  override onLeave(client: Client) {
    const seat = seatOfSession(this.seats.seated, client.sessionId);
    if (seat < 0) return;
    this.log().info({ playerId: this.seats.seated[seat]!.playerId, seat }, "left blackjack table");
    void this.runStep(() => {
      if (!this.seats.left(seat, client.sessionId, this.table.seats[seat] !== null)) return;
      this.syncSeats();
      this.advance();
    });
  }

  override onBeforeShutdown() {
    this.closing = true;
    void this.runStep(() => this.advance());
  }

  override async onDispose() {
    this.timer.clear();
    // A step still talking to the wallet (a settlement) finishes first, so the round is not refunded twice over.
    // The room is going away mid-round (shutdown deadline): every stake goes back rather than wait for recovery.
    await this.steps
      .run(() => this.rounds?.refund())
      .catch((error) => this.log().error({ err: error, roundId: this.rounds?.roundId }, "refund failed"));
  }

  // ---- check -> engine -> apply ---------------------------------------------------------------------------

  private standUp(client: Client) {
    const seat = this.seatOf(client);
    if (this.table.seats[seat]) throw new IntentRejected("IN_HAND", "you have a bet in this round");
    this.seats.free(seat);
    this.syncSeats();
    this.advance();
  }

  /** The round's first bet opens its wallet round; the balance is checked first, so a refused bet leaves no trace. */
  private async bet(client: Client, amountMinor: bigint) {
    const seat = this.seatOf(client);
    if (this.closing) throw new IntentRejected("TABLE_CLOSING", "the table is closing: no new rounds");
    const result = accepted(placeBet(this.table, seat, amountMinor));
    const stakeMinor = stakeRequired(this.table, { type: "bet", seat, amount: amountMinor });
    const playerId = this.seats.seated[seat]!.playerId;
    if (this.rounds.roundId) {
      await this.rounds.add(seat, stakeMinor, playerId);
    } else {
      await this.rounds.requireFunds(playerId, stakeMinor);
      await this.rounds.open([{ seat, playerId, amountMinor: stakeMinor }]);
      // Money is on the table: the round plays out (by the timeout rule if need be) even if everyone leaves.
      this.autoDispose = false;
    }
    this.commit(result);
  }

  private async act(client: Client, action: BlackjackAction & { seat: number }) {
    const result = this.tryApply(action);
    if (this.rounds.players.get(action.seat) !== playerOf(client).playerId) {
      throw new IntentRejected("NOT_IN_ROUND", "you have no hand in this round");
    }
    const extra = stakeRequired(this.table, action);
    if (extra > 0n) await this.rounds.add(action.seat, extra);
    this.commit(result);
  }

  /** Applies `action`, extending a shoe that runs out mid-round; a refusal is thrown. */
  private tryApply(action: BlackjackAction) {
    const { table, result } = applyExtendingShoe(this.table, action, () => this.shoes.nextShoe());
    this.table = table;
    return accepted(result);
  }

  private commit(result: { state: BlackjackState; events: BlackjackEvent[] }) {
    this.table = result.state;
    if (result.events.length > 0) this.announce("events", result.events.map(publicEvent));
    this.syncState();
    this.advance();
  }

  // ---- settle -> sync -------------------------------------------------------------------------------------

  private async settleRound() {
    const result = this.table.result!;
    const roundId = this.rounds.roundId!;
    const players = [...this.rounds.players.values()];
    const { seats, stakedMinor, returnedMinor, houseMinor } = roundPayouts(result);
    // The house banks the game: it keeps what the players lost or covers what they won.
    await this.rounds.settleSeats(seats, { houseMinor });
    showSettled(this.state, result);
    this.autoDispose = true;
    const amounts = { stakedMinor: `${stakedMinor}`, returnedMinor: `${returnedMinor}` };
    this.log().info({ roundId, players, ...amounts }, "blackjack round settled");
    this.announce("roundSettled", roundSettledMessage(roundId, result));
  }

  private nextRound() {
    this.table = roomAction(this.table, { type: "nextRound" });
    this.seats.freeAbsent();
    if (isShoeFinished(this.table) || this.shoes.room.rotationRequested) {
      const revealed = this.shoes.rotate();
      this.announce("seedRevealed", revealed);
      showRevealedSeed(this.state.revealedSeeds, new RevealedSeedView(revealed));
      this.table = roomAction(this.table, { type: "newShoe", shoe: this.shoes.nextShoe() });
    }
    this.syncSeats();
    if (this.closing || this.clients.length === 0) void this.close();
    else this.advance();
  }

  /** Arms the timer for the table's next step. */
  private advance() {
    const next = nextTableStep(this.table, this.seats.seated, this.closing, this.rounds.roundId !== null);
    if (next.step === "idle" || next.step === "close") {
      this.timer.clear();
      if (next.step === "close") void this.close();
      return;
    }
    const steps = {
      deal: () => {
        if (this.table.phase === "betting") this.deal();
      },
      timeout: () => this.applyTimeout(),
      settle: async () => {
        if (this.rounds.roundId) await this.settleRound();
        this.advance();
      },
      nextRound: () => this.nextRound(),
    };
    const { bettingMs: betting, insuranceMs: insurance, actionMs: action, resultMs: result } = this.options;
    this.timer.arm({ betting, insurance, action, result, none: 0 }[next.window], steps[next.step]);
  }

  private deal() {
    this.commit(this.tryApply({ type: "deal" }));
    const { serverSeedHash } = this.state;
    const players = [...this.rounds.players.values()];
    this.log().info({ roundId: this.rounds.roundId, players, serverSeedHash }, "blackjack round dealt");
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

  private seatOf(client: Client): number {
    return requireSeat(this.seats.seated, client, "take a seat first");
  }

  protected reconnectSeconds() {
    return this.options.reconnectSeconds;
  }

  protected setConnected(sessionId: string, connected: boolean) {
    showConnected(this.seats.seated, this.state.seats, sessionId, connected);
  }

  private syncSeats() {
    syncSeatViews(this.seats.seated, this.state.seats, (seat) => new SeatView({ seat }));
    this.syncState();
  }

  private syncState() {
    syncTable(this.state, publicView(this.table));
    this.state.assign(this.shoes.public);
  }
}

/** An action the room itself takes between rounds: a refusal is a bug, not a player's mistake. */
function roomAction(table: BlackjackState, action: BlackjackAction): BlackjackState {
  const result = applyAction(table, action);
  if (!result.ok) throw new Error(`${action.type} refused: ${result.error.message}`);
  return result.state;
}
