import type { Client } from "@colyseus/core";
import { DRAWS_CLIENT_MESSAGES as M } from "../protocol/draws.ts";
import {
  applyDrawsAction,
  createDrawsMatch,
  type DrawsAction,
  type DrawsEvent,
  type DrawsState,
  type OfferResult,
  offerStake,
  otherSeat,
  publicDrawsView,
  rematch,
  type Seat,
  seedRotationDue,
} from "../simulation/draws/index.ts";
import { reportMatchResult } from "../src/match-results.ts";
import { reportTournamentMatch } from "../src/tournaments/match-results.ts";
import { DrawTimer } from "./draws/draw-timer.ts";
import { roundSettledMessage } from "./draws/messages.ts";
import {
  type DrawJoinOptions,
  type DrawRoomMetadata,
  type DrawRoomOptions,
  drawMatchmakingOptions,
  parseDrawRoomOptions,
} from "./draws/room-options.ts";
import {
  DrawRevealedSeedView,
  DrawRoomState,
  type DrawRoomStateType,
  DrawSeatView,
  showSettled,
  syncDraws,
} from "./draws/room-state.ts";
import { GameRoom } from "./game-room.ts";
import { accepted, IntentRejected, intent, registerIntents, sendError } from "./intents.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import { normalizeClientOptions, unusedCode } from "./room-options.ts";
import { RoomSeeds, showRevealedSeed } from "./room-seeds.ts";
import { RoomRounds, StakeNotHeld } from "./round-ledger.ts";
import { clientOfSeat, requireSeat, type SeatHolder, seatForJoin, showConnected, syncSeatViews } from "./seats.ts";
import { StepTimer } from "./step-timer.ts";
import { toWire } from "./wire.ts";

/**
 * Draws: two players stake the same amount, each draws a card, the higher card takes the pot less the rake. The
 * engine and its table rules (simulation/draws) decide everything; this room seats the two players (private
 * challenge by code, quick match by stake, or the two players a tournament named), holds both stakes before the
 * engine's hold is kept, settles each round in one ledger transaction, draws for a seat whose timer ran out, and
 * turns a player who never came back into a forfeit.
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

  options!: DrawRoomOptions;
  seeds!: RoomSeeds;
  rounds!: RoomRounds;
  readonly drawTimer = new DrawTimer(
    new StepTimer(
      this.clock,
      (step) => this.runStep(step),
      (ms) => (this.state.deadline = ms),
    ),
    () => this.engine,
    (seat) => this.act({ type: "draw", seat, auto: true }),
  );
  /** The engine's state, live server seed included: never synced, only its public view is. */
  engine!: DrawsState;
  readonly seated: [SeatHolder | null, SeatHolder | null] = [null, null];
  /** The stake of the last round held, the default for a rematch. */
  lastStakeMinor: bigint | null = null;
  /** Whether the seed was already rotated for the match that ended (a finished match reveals its seed once). */
  rotatedForMatch = false;
  closing = false;

  override async onCreate(input: unknown) {
    this.options = parseDrawRoomOptions(input);
    const { mode, tier, config, fixedStakeMinor, players } = this.options;
    this.seeds = new RoomSeeds("draws", this.roomId);
    this.rounds = new RoomRounds("draws", this.roomId);
    this.engine = createDrawsMatch(config, this.seeds.initial());
    this.setPatchRate(this.options.patchRateMs);
    const code = mode === "private" ? (this.options.code ?? (await unusedCode("draws"))) : "";
    this.state.assign({ mode, code });
    const stake = fixedStakeMinor === null ? {} : { stakeMinor: Number(fixedStakeMinor) };
    await this.setMetadata({ mode, tier, ...stake, ...(code ? { code } : {}) });
    // A tournament match is only entered through seat reservations the tournament makes for its two players.
    if (mode === "tournament" && players) await this.lock();
    this.syncState();

    const { withdrawStake, draw, clientSeed, rotateSeed } = M;
    registerIntents(this, this.steps, {
      stake: intent(M.stake, (client, { stakeMinor, seat }) =>
        this.offer(client, seat, (s) => offerStake(this.engine, s, BigInt(stakeMinor))),
      ),
      withdrawStake: intent(withdrawStake, (client, { seat }) =>
        this.act({ type: "withdrawStake", seat: this.seatOf(client, seat) }),
      ),
      draw: intent(draw, (client, { seat }) => this.act({ type: "draw", seat: this.seatOf(client, seat) })),
      rematch: intent(M.rematch, (client, { stakeMinor }) => {
        const requestedMinor = stakeMinor === undefined ? null : BigInt(stakeMinor);
        const stakes = { requestedMinor, fixedMinor: this.options.fixedStakeMinor, lastMinor: this.lastStakeMinor };
        const newMatchAllowed = this.options.mode !== "tournament";
        return this.offer(client, undefined, (s) => rematch(this.engine, s, stakes, newMatchAllowed));
      }),
      clientSeed: intent(clientSeed, (client, { seed }) => this.seeds.setPlayerSeed(this.seatOf(client), seed)),
      rotateSeed: intent(rotateSeed, (client) => {
        this.seatOf(client);
        this.seeds.rotationRequested = true;
        this.rotateIfDue();
      }),
    });
  }

  override onJoin(client: Client, options: DrawJoinOptions = {}) {
    const { playerId, displayName } = playerOf(client);
    const rules = { mode: this.options.mode, players: this.options.players, code: this.state.code };
    const seat = seatForJoin(this.seated, rules, { playerId, code: options?.code })!;
    this.seated[seat] = { playerId, displayName, sessionId: client.sessionId };
    this.log().info({ playerId, seat }, "joined draws room");
    this.syncSeats();
  }

  override onLeave(client: Client) {
    const seat = this.seated.findIndex((p) => p?.sessionId === client.sessionId);
    if (seat >= 0) void this.runStep(() => this.seatLeft(seat as Seat, client.sessionId));
  }

  override onBeforeShutdown() {
    this.closing = true;
    this.drawTimer.stop();
    void this.runStep(() => this.advance());
  }

  override async onDispose() {
    this.drawTimer.stop();
    // Through the step queue: a step still moving money (the last player's forfeit, say) finishes first.
    await this.steps
      .run(() => this.closeOpenRound())
      .catch((err) => this.log().error({ err, roundId: this.rounds?.roundId }, "closing the open round failed"));
  }

  /** The room is going away with stakes held (shutdown deadline): pay a resolved round, take back any other. */
  private async closeOpenRound() {
    if (!this.rounds?.roundId) return;
    if (this.engine.phase === "resolved") await this.settleRound();
    else await this.rounds.refund();
  }

  // ---- check -> engine -> apply ---------------------------------------------------------------------------

  private async act(action: DrawsAction) {
    await this.commit(accepted(applyDrawsAction(this.engine, action)));
  }

  /**
   * A stake offer (or a rematch's): nothing is kept unless every check passes. The engine accepts it; a first offer
   * is checked against the player's balance, a matching one by moving both stakes into a fresh wallet round.
   */
  private async offer(client: Client, claimed: Seat | undefined, decide: (seat: Seat) => OfferResult) {
    const seat = this.seatOf(client, claimed);
    if (this.seated.includes(null)) throw new IntentRejected("NO_OPPONENT", "wait for an opponent before staking");
    if (this.closing) throw new IntentRejected("ROOM_CLOSING", "the room is closing: no new rounds");
    const result = accepted(decide(seat));
    if (result.stakesHeld) await this.holdStakes(seat, result.state.stakeMinor!);
    else await this.rounds.requireFunds(this.seated[seat]!.playerId, result.state.offers[seat]!);
    if (result.newMatch) this.countNewMatch();
    await this.commit(result);
  }

  /** Both stakes into a fresh wallet round, the sender's first; if the other's can no longer be covered, it goes. */
  private async holdStakes(seat: Seat, stakeMinor: bigint) {
    const other = otherSeat(seat);
    const stakes = [seat, other].map((s) => ({ seat: s, playerId: this.seated[s]!.playerId, amountMinor: stakeMinor }));
    try {
      await this.rounds.open(stakes);
    } catch (error) {
      if (!(error instanceof StakeNotHeld) || error.seat !== other) throw error;
      // The offer on the table can no longer be covered (the balance moved since it was made): take it back.
      const withdrawn = applyDrawsAction(this.engine, { type: "withdrawStake", seat: other });
      if (withdrawn.ok) await this.commit(withdrawn);
      const otherClient = clientOfSeat(this.clients, this.seated, other);
      if (otherClient) sendError(otherClient, "stake", error.code, `your offer was withdrawn: ${error.message}`, true);
      throw new IntentRejected("OPPONENT_CANNOT_COVER", "the other player can no longer cover the stake", {
        afterPatch: true,
      });
    }
    this.lastStakeMinor = stakeMinor;
    this.state.roundId = this.rounds.roundId!;
    const players = this.seated.map((p) => p!.playerId);
    this.log().info({ roundId: this.state.roundId, players, stakeMinor: `${stakeMinor}` }, "draws round started");
  }

  /** Keeps an accepted result and announces it, pays a resolved round, and arms what the new phase needs. */
  private async commit(result: { state: DrawsState; events: readonly DrawsEvent[] }) {
    this.engine = result.state;
    if (result.events.length > 0) this.announce("events", toWire(result.events));
    this.syncState();
    if (this.engine.phase === "resolved") await this.settleRound();
    if (this.options.mode === "tournament" && result.events.some((e) => e.type === "matchOver")) {
      await this.publishMatchResult();
    }
    this.rotateIfDue();
    this.advance();
  }

  // ---- settle -> sync -------------------------------------------------------------------------------------

  private async settleRound() {
    const result = this.engine.result!;
    const roundId = this.rounds.roundId;
    const players = [this.rounds.players.get(0) ?? null, this.rounds.players.get(1) ?? null];
    const { seats, rakeMinor } = result.settlement;
    // Players play each other: the house takes only the rake.
    const payouts = seats.map(({ seat, payoutMinor }) => ({ seat, amountMinor: payoutMinor }));
    if (result.stakesHeld) await this.rounds.settleSeats(payouts, { houseMinor: 0n, rakeMinor });
    this.engine = accepted(applyDrawsAction(this.engine, { type: "settle" })).state;
    showSettled(this.state, result);
    this.log().info(
      { roundId, players, outcome: result.outcome, winnerSeat: result.winnerSeat },
      "draws round settled",
    );
    const seatedIds = this.seated.map((p) => p?.playerId ?? null);
    this.announce("roundSettled", roundSettledMessage(result, roundId, this.state.match, players, seatedIds));
    this.syncState();
  }

  /** A tournament match's winner goes into the room's listing, where the tournament finds it with matchMaker.query. */
  private async publishMatchResult() {
    const { winnerSeat } = this.engine.match;
    const reason = this.engine.match.reason ?? "";
    const players = this.options.players!;
    const winnerPlayerId = winnerSeat === null ? null : players[winnerSeat];
    reportMatchResult({ game: "draws", matchId: this.roomId, players, winnerPlayerId, reason });
    await this.setMetadata({ ...this.metadata, result: { winnerPlayerId, reason } });
    await reportTournamentMatch(this.roomId, winnerPlayerId, reason);
  }

  private rotateIfDue() {
    if (!seedRotationDue(this.engine, this.seeds.rotationRequested, this.rotatedForMatch)) return;
    if (this.engine.match.over) this.rotatedForMatch = true;
    const { revealed, next } = this.seeds.rotate(this.engine.seeds);
    this.engine = accepted(applyDrawsAction(this.engine, { type: "useSeeds", seeds: next })).state;
    this.announce("seedRevealed", revealed);
    showRevealedSeed(this.state.revealedSeeds, new DrawRevealedSeedView(revealed));
    this.syncState();
  }

  /** A seat gone for good: before stakes are held nothing moves; with stakes held the other seat wins by forfeit. */
  private async seatLeft(seat: Seat, sessionId: string) {
    const player = this.seated[seat];
    if (!player || player.sessionId !== sessionId) return;
    this.log().info({ playerId: player.playerId, seat }, "left draws room");
    const stayed = this.seated[otherSeat(seat)];
    // The forfeit settles a round with stakes held in the same step.
    if (!this.engine.match.over && stayed) await this.act({ type: "forfeit", seat });
    this.seated[seat] = null;
    this.seeds.clearPlayerSeed(seat);
    this.syncSeats();
    if (!stayed || this.closing) return;
    if (this.options.mode === "quick") {
      // The player who stayed waits for a new opponent at the same stake: a fresh match on the current seeds.
      this.engine = createDrawsMatch(this.options.config, this.engine.seeds);
      this.countNewMatch();
      this.state.lastOutcome = "";
      this.state.lastWinnerSeat = -1;
      this.syncState();
      return;
    }
    this.closing = true;
    // A private or tournament room closes once the draw timer has nothing left to do.
    this.closeAfterMatch(() => this.advance());
  }

  /** A new match in this room: numbered, its seed not yet revealed. */
  private countNewMatch() {
    this.state.match += 1;
    this.rotatedForMatch = false;
  }

  /** Arms the draw timer for a new attempt, or closes a room that is closing once no stakes are held. */
  private advance() {
    // A closing room does not wait for presses: the cards are fixed by the seeds, so drawing now changes nothing.
    this.drawTimer.follow(this.closing ? 0 : this.options.drawMs);
    if (this.closing && this.engine.phase !== "awaiting_draws") void this.close();
  }

  // ---- seats and state -----------------------------------------------------------------------------------

  private seatOf(client: Client, claimed?: Seat): Seat {
    return requireSeat(this.seated, client, "you have no seat in this room", claimed) as Seat;
  }

  protected reconnectSeconds() {
    return this.options.reconnectSeconds;
  }

  protected setConnected(sessionId: string, connected: boolean) {
    showConnected(this.seated, this.state.seats, sessionId, connected);
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
