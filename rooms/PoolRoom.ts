import { type Client, type Delayed, ServerError } from "@colyseus/core";
import type { z } from "zod";
import { POOL_CLIENT_MESSAGES as M } from "../protocol/pool.ts";
import { splitPot } from "../simulation/money/pot.ts";
import type { PlayerId, ShotOutcome, ShotSummary } from "../simulation/pool/eightball/index.ts";
import { isShooterOnEight } from "../simulation/pool/eightball/index.ts";
import { rulesPocketOf } from "../simulation/pool/eightball-summary.ts";
import type { ShotInput, ShotResult } from "../simulation/pool/index.ts";
import {
  coinTossBreaker,
  type MatchClock,
  MatchRefusal,
  PoolMatch,
  rackOrder,
  type ShotRequest,
  startMatchClock,
  startTurn,
  stopTurn,
  takeExtension,
} from "../simulation/pool/match.ts";
import { hashServerSeed } from "../simulation/rng/index.ts";
import { reportMatchResult } from "../src/match-results.ts";
import type { SimulatedShot } from "../src/physics/batcher.ts";
import type { PoolReplay, StepResult } from "../src/replays/format.ts";
import { REPLAY_FORMAT_VERSION, restingBalls } from "../src/replays/format.ts";
import { saveReplay } from "../src/replays/store.ts";
import { services } from "../src/services.ts";
import { reportTournamentMatch } from "../src/tournaments/match-results.ts";
import { normalizeChallengeCode } from "./draws/challenge-code.ts";
import { GameRoom } from "./game-room.ts";
import { IntentRejected, intent, registerIntents, sendError } from "./intents.ts";
import { type decideSchema, toShotRequest } from "./pool/messages.ts";
import { type PoolRoomOptions, parsePoolRoomOptions, poolMatchmakingOptions } from "./pool/room-options.ts";
import { PoolBallView, PoolRoomState, type PoolRoomStateType, PoolSeatView } from "./pool/room-state.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import { normalizeClientOptions, unusedCode } from "./room-options.ts";
import { RoomSeeds } from "./room-seeds.ts";
import { RoundLedger } from "./round-ledger.ts";
import { seatOfSession, syncSeatViews } from "./seats.ts";

const SEATS: readonly PlayerId[] = [0, 1];
const SPECTATORS_MAX = 20;
/** The room closes this long after its match ends, so the last messages reach everyone. */
const CLOSE_AFTER_MATCH_MS = 1_000;

interface SeatedPlayer {
  playerId: string;
  displayName: string;
  sessionId: string;
  connected: boolean;
}

export interface PoolJoinOptions {
  /** Watch without taking a seat. */
  spectate?: boolean;
  /** A private challenge's code: the second player and spectators of a private match need it. */
  code?: string;
}

export interface PoolRoomMetadata {
  mode: string;
  tier: string;
  stakeMinor: number;
  code?: string;
  table: string;
}

export type PoolEndReason =
  | "eightBallInCalledPocket"
  | "eightBallPocketedEarly"
  | "eightBallPocketedOnFoul"
  | "eightBallInUncalledPocket"
  | "eightBallOffTable"
  | "forfeit"
  | "concede"
  | "timeCap"
  | "abandoned"
  | "shutdown";

/**
 * 8-ball between two players, with spectators. The rules engine (simulation/pool/eightball) decides every ruling
 * and the physics (services().physics) simulates every shot; this room seats the players (private challenge by code,
 * quick match by stake, or the two a tournament named), holds both stakes before the break, refuses what may not be
 * played, broadcasts each shot's animation data and settled table, runs the shot clock and the match-time cap,
 * settles the pot less the rake, and stores the match's replay.
 */
export class PoolRoom extends GameRoom<{ state: PoolRoomStateType; metadata: PoolRoomMetadata }> {
  static override async onAuth(token: string, options: unknown) {
    const identity = await authenticatePlayer(token);
    await normalizeClientOptions("pool", options, poolMatchmakingOptions);
    return identity;
  }

  override maxClients = 2 + SPECTATORS_MAX;
  override maxMessagesPerSecond = 20;
  override state = new PoolRoomState();

  readonly ledger = new RoundLedger("pool");
  options!: PoolRoomOptions;
  code = "";
  readonly seated: [SeatedPlayer | null, SeatedPlayer | null] = [null, null];
  readonly accepted: [boolean, boolean] = [false, false];
  seeds!: RoomSeeds;
  /** The shot clock, extensions and time cap, as the match engine's pure clock; null until the stakes are held. */
  matchClock: MatchClock | null = null;
  /** The live server seed: never synced until the match is over. */
  serverSeed = "";
  match: PoolMatch | null = null;
  /** The wallet round holding both stakes, from the hold until it is settled or refunded. */
  openRoundId: string | null = null;
  roundPlayers: [string, string] | null = null;
  readonly results: StepResult[] = [];
  startedAt: Date | null = null;
  /** A shot has been accepted and its animation window is still open. */
  shotInProgress = false;
  capReached = false;
  over = false;
  closing = false;
  turnTimer: Delayed | undefined;
  capTimer: Delayed | undefined;
  acceptTimer: Delayed | undefined;
  /** Which turn the running shot clock belongs to, so a stale timer does nothing. */
  turnKey = 0;

  override async onCreate(input: unknown) {
    this.options = parsePoolRoomOptions(input, services().config.poolRakeBps);
    const { mode, stakeMinor, table, players } = this.options;
    this.setPatchRate(this.options.patchRateMs);
    this.seeds = new RoomSeeds("pool", this.roomId);
    const initial = this.seeds.initial();
    this.serverSeed = initial.serverSeed;
    this.state.mode = mode;
    this.state.matchId = this.roomId;
    this.state.table = table;
    this.state.stakeMinor = stakeMinor.toString();
    this.state.rakeBps = this.options.rakeBps;
    this.state.serverSeedHash = hashServerSeed(this.serverSeed);
    this.state.clientSeed = initial.clientSeed;
    const metadata: PoolRoomMetadata = { mode, tier: this.options.tier, stakeMinor: Number(stakeMinor), table };
    if (mode === "private") {
      this.code = this.options.code ?? (await unusedCode("pool"));
      this.state.code = this.code;
      metadata.code = this.code;
    }
    await this.setMetadata(metadata);
    // A tournament match is entered through the seats the tournament reserves; it is never listed.
    if (mode === "tournament" && players) await this.setPrivate(true);

    registerIntents(this, this.steps, {
      acceptStake: intent(M.acceptStake, (client) => this.acceptStake(client)),
      clientSeed: intent(M.clientSeed, (client, { seed }) => this.setClientSeed(client, seed)),
      shoot: intent(M.shoot, (client, payload) => this.shoot(client, toShotRequest(payload))),
      decide: intent(M.decide, (client, decision) => this.decide(client, decision)),
      extension: intent(M.extension, (client) => this.useExtension(client)),
      concede: intent(M.concede, (client) => {
        const seat = this.requirePlaying(client);
        return this.finish(other(seat), "concede");
      }),
    });
  }

  override onJoin(client: Client, options: PoolJoinOptions = {}) {
    const { playerId, displayName } = playerOf(client);
    if (this.seated.some((p) => p?.playerId === playerId)) {
      throw new ServerError(409, "ALREADY_IN_ROOM: this player is already in this room from another connection");
    }
    const hasCode = normalizeChallengeCode(options?.code) === this.code;
    if (options?.spectate) {
      if (this.options.mode === "private" && !hasCode) {
        throw new ServerError(403, "WRONG_CODE: watching a private challenge needs its code");
      }
      this.log().info({ playerId }, "spectating pool room");
      return;
    }
    let seat: number;
    if (this.options.mode === "tournament") {
      seat = this.options.players!.indexOf(playerId);
      if (seat < 0) throw new ServerError(403, "NOT_IN_THIS_MATCH: this match is for two other players");
    } else {
      const creator = this.seated.every((p) => p === null) && this.match === null;
      if (this.options.mode === "private" && !creator && !hasCode) {
        throw new ServerError(403, "WRONG_CODE: this challenge needs its code");
      }
      seat = this.seated.indexOf(null);
    }
    if (seat < 0 || this.seated[seat] || this.match) throw new ServerError(409, "ROOM_FULL: both seats are taken");
    this.seated[seat] = { playerId, displayName, sessionId: client.sessionId, connected: true };
    this.log().info({ playerId, seat }, "joined pool room");
    this.syncSeats();
    if (this.seated[0] && this.seated[1]) {
      // Both seats are taken: quick match stops offering this room; spectators still join by its id.
      void this.setPrivate(true);
      this.state.phase = "accepting";
      this.armAcceptTimer();
    }
  }

  override onLeave(client: Client) {
    const seat = this.seatOfSession(client.sessionId);
    if (seat < 0) return;
    void this.runStep(() => this.seatGone(seat as PlayerId, client.sessionId));
  }

  override onBeforeShutdown() {
    this.closing = true;
    void this.runStep(async () => {
      if (this.match && !this.over) await this.finish(null, "shutdown");
      else if (!this.over) void this.close();
    });
  }

  override async onDispose() {
    this.clearTimers();
    this.acceptTimer?.clear();
    await this.steps.run(() => {}).catch(() => {});
    const roundId = this.openRoundId;
    if (!roundId) return;
    // The room is going away with both stakes held and no result: return them (recovery would otherwise).
    await this.ledger.refund(roundId).catch((error) => this.log().error({ err: error, roundId }, "refund failed"));
  }

  // ---- before the break -------------------------------------------------------------------------------------

  private acceptStake(client: Client) {
    const seat = this.requireSeat(client);
    if (this.match) throw new IntentRejected("MATCH_STARTED", "the stakes are already held");
    if (this.closing) throw new IntentRejected("ROOM_CLOSING", "the room is closing: no new match");
    if (!this.seated[other(seat)]) throw new IntentRejected("NO_OPPONENT", "wait for an opponent before accepting");
    this.accepted[seat] = true;
    this.syncSeats();
    if (this.accepted[0] && this.accepted[1]) return this.startMatch();
  }

  private setClientSeed(client: Client, seed: string) {
    const seat = this.requireSeat(client);
    if (this.match) throw new IntentRejected("SEEDS_FIXED", "the match's seeds were fixed when the stakes were held");
    this.seeds.setPlayerSeed(seat, seed);
  }

  /** Both stakes into the match's wallet round, then the seeds are fixed, the coin tossed and the balls racked. */
  private async startMatch() {
    const players: [string, string] = [this.seated[0]!.playerId, this.seated[1]!.playerId];
    const roundId = `pool:${this.roomId}`;
    const stake = this.options.stakeMinor;
    // A practice match moves no money: no wallet round is opened.
    if (!this.options.practice) await this.ledger.open(roundId, "match");
    for (const seat of this.options.practice ? [] : SEATS) {
      try {
        await this.ledger.stake(roundId, players[seat], stake, `${roundId}:stake:${seat}`);
      } catch (error) {
        await this.ledger.refund(roundId);
        this.accepted[seat] = false;
        this.syncSeats();
        if (!(error instanceof IntentRejected)) throw error;
        const client = this.clientOf(seat);
        if (client) sendError(client, "acceptStake", error.code, `your stake could not be held: ${error.message}`);
        throw new IntentRejected("STAKE_NOT_HELD", `seat ${seat} could not cover the stake: ${error.message}`);
      }
    }
    this.openRoundId = this.options.practice ? null : roundId;
    this.roundPlayers = players;
    this.autoDispose = false;
    this.acceptTimer?.clear();
    const clientSeed = this.seeds.clientSeed();
    this.match = new PoolMatch(this.options.table, { serverSeed: this.serverSeed, clientSeed });
    this.state.clientSeed = clientSeed;
    this.state.phase = "playing";
    this.startedAt = new Date();
    this.matchClock = startMatchClock(this.options, Date.now());
    this.state.matchDeadline = this.matchClock.matchDeadlineMs;
    this.capTimer = this.clock.setTimeout(() => {
      void this.runStep(() => this.matchTimeUp());
    }, this.options.matchMs);
    this.log().info(
      { roundId, players, stakeMinor: `${stake}`, serverSeedHash: this.state.serverSeedHash, clientSeed },
      "pool match started",
    );
    this.announce("matchStarted", {
      matchId: this.roomId,
      roundId,
      players,
      stakeMinor: stake.toString(),
      breaker: this.match.rules.breaker,
      serverSeedHash: this.state.serverSeedHash,
      clientSeed,
      rack: rackOrder(this.match.seeds, 1),
    });
    this.syncMatch();
    this.armTurnClock();
  }

  // ---- play -------------------------------------------------------------------------------------------------

  private async shoot(client: Client, request: ShotRequest) {
    const seat = this.requirePlaying(client);
    const match = this.match!;
    if (this.shotInProgress) {
      throw new IntentRejected("SHOT_IN_PROGRESS", "the balls are still moving: wait for the table to settle");
    }
    let input: ShotInput;
    try {
      input = match.prepareShot(seat, request);
    } catch (error) {
      if (error instanceof MatchRefusal) throw new IntentRejected(error.code, error.message);
      throw error;
    }
    // From here until the animation window closes no other shot or decision is taken (the step queue holds every
    // other step while the physics runs; the flag refuses them during the animation).
    this.shotInProgress = true;
    this.state.shotInProgress = true;
    this.stopTurnClock();
    let result: SimulatedShot;
    try {
      result = await services().physics.submit(input);
    } catch (error) {
      this.shotInProgress = false;
      this.state.shotInProgress = false;
      this.armTurnClock();
      this.log().error({ err: error }, "shot simulation failed");
      throw new IntentRejected("PHYSICS_UNAVAILABLE", "the shot could not be simulated: take it again");
    }
    const ballInHand = match.rules.ballInHand;
    const applied = match.applyShot(seat, request, input, result);
    this.results.push({
      kind: "shot",
      balls: result.balls.map((ball) => [ball.id, ball.x, ball.y, ball.pocket ?? -1]),
      summary: applied.summary,
      fouls: [...applied.outcome.fouls],
      totalTimeS: result.total_time_s,
      complete: result.complete,
      backend: result.backend,
    });
    this.announce(
      "shot",
      shotMessage(this.state.shotCount + 1, seat, request, ballInHand, result, applied, restingBalls(match.balls)),
    );
    this.syncMatch();
    const windowMs = Math.min(result.total_time_s, 120) * 1000 * this.options.animationScale;
    this.clock.setTimeout(() => void this.runStep(() => this.shotSettled()), windowMs);
  }

  /** The animation window closed: the next turn starts, or the match ends. */
  private async shotSettled() {
    if (!this.shotInProgress || this.over) return;
    this.shotInProgress = false;
    this.state.shotInProgress = false;
    const match = this.match!;
    if (match.rules.result) return this.finish(match.rules.result.winner, match.rules.result.reason);
    if (this.capReached) return this.finish(match.timeCapWinner(), "timeCap");
    this.armTurnClock();
  }

  private decide(client: Client, decision: z.infer<typeof decideSchema>) {
    const seat = this.requirePlaying(client);
    if (this.shotInProgress) {
      throw new IntentRejected("SHOT_IN_PROGRESS", "the balls are still moving: wait for the table to settle");
    }
    this.applyDecision(seat, decision);
  }

  private applyDecision(seat: PlayerId, decision: z.infer<typeof decideSchema>) {
    const match = this.match!;
    let outcome: ReturnType<PoolMatch["decide"]>["outcome"];
    try {
      outcome = match.decide(seat, decision).outcome;
    } catch (error) {
      if (error instanceof MatchRefusal) throw new IntentRejected(error.code, error.message);
      throw error;
    }
    this.results.push({ kind: "decision", balls: restingBalls(match.balls) });
    this.announce("decision", { seat, decision, outcome, balls: restingBalls(match.balls) });
    this.syncMatch();
    this.armTurnClock();
  }

  private useExtension(client: Client) {
    const seat = this.requirePlaying(client);
    if (this.shotInProgress || this.match!.rules.shooter !== seat) {
      throw new IntentRejected("NOT_YOUR_TURN", "an extension is taken on your own shot clock");
    }
    try {
      this.matchClock = takeExtension(this.matchClock!, this.options, seat, Date.now());
    } catch (error) {
      if (error instanceof MatchRefusal) throw new IntentRejected(error.code, error.message);
      throw error;
    }
    this.scheduleTurn();
    this.syncSeats();
  }

  /** Starts the shot clock of whoever is to shoot (or decide). */
  private armTurnClock() {
    if (this.over || !this.match || !this.matchClock) return;
    this.matchClock = startTurn(this.matchClock, this.options, Date.now());
    this.scheduleTurn();
  }

  /** Arms the timer at the clock's turn deadline. */
  private scheduleTurn() {
    this.turnTimer?.clear();
    this.turnKey += 1;
    const key = this.turnKey;
    const deadlineMs = this.matchClock!.turnDeadlineMs;
    this.state.deadline = deadlineMs;
    this.turnTimer = this.clock.setTimeout(
      () => {
        void this.runStep(() => this.turnTimedOut(key));
      },
      Math.max(0, deadlineMs - Date.now()),
    );
  }

  private stopTurnClock() {
    this.turnTimer?.clear();
    this.turnTimer = undefined;
    this.turnKey += 1;
    if (this.matchClock) this.matchClock = stopTurn(this.matchClock);
    this.state.deadline = 0;
  }

  /** The shot clock ran out: a pending decision accepts the table; a shot is ruled as one that touched nothing. */
  private turnTimedOut(key: number) {
    if (key !== this.turnKey || this.over || this.shotInProgress || !this.match) return;
    const match = this.match;
    const seat = match.rules.shooter;
    if (match.rules.pendingDecision) {
      this.applyDecision(seat, { kind: "acceptTable" });
      return;
    }
    const applied = match.timeout(seat);
    this.results.push({ kind: "timeout", balls: restingBalls(match.balls) });
    this.announce("timeout", {
      seat,
      fouls: applied.outcome.fouls,
      illegalBreak: applied.outcome.illegalBreak,
      nextShooter: applied.outcome.nextShooter,
      ballInHand: applied.outcome.ballInHand,
      balls: restingBalls(match.balls),
    });
    this.syncMatch();
    if (this.capReached) {
      void this.finish(match.timeCapWinner(), "timeCap");
      return;
    }
    this.armTurnClock();
  }

  private async matchTimeUp() {
    if (this.over || !this.match) return;
    this.capReached = true;
    // A shot being animated finishes first; its result may still end the match by the rules.
    if (!this.shotInProgress) await this.finish(this.match.timeCapWinner(), "timeCap");
  }

  // ---- the end ----------------------------------------------------------------------------------------------

  /** Ends the match: the winner is paid the pot less the rake (or both stakes go back), the seed is revealed. */
  private async finish(winner: PlayerId | null, reason: PoolEndReason) {
    if (this.over || !this.match) return;
    this.over = true;
    this.clearTimers();
    const roundId = `pool:${this.roomId}`;
    const players = this.roundPlayers!;
    const stake = this.options.stakeMinor;
    const split = splitPot([stake, stake], { rakeBps: this.options.rakeBps, rakeCapMinor: null });
    if (this.options.practice) {
      // nothing was staked
    } else if (winner === null) {
      await this.ledger.refund(roundId);
    } else {
      await this.ledger.settle(roundId, {
        payouts: [{ playerId: players[winner], amountMinor: split.payoutMinor }],
        houseMinor: 0n,
        rakeMinor: split.rakeMinor,
      });
    }
    this.openRoundId = null;
    if (this.options.mode === "tournament") {
      await reportTournamentMatch(this.roomId, winner === null ? null : players[winner], reason);
    }
    this.autoDispose = true;
    this.log().info(
      { roundId, players, winnerSeat: winner, reason, rakeMinor: `${winner === null ? 0n : split.rakeMinor}` },
      "pool match over",
    );
    this.state.phase = "over";
    this.state.winnerSeat = winner ?? -1;
    this.state.endReason = reason;
    this.state.serverSeed = this.serverSeed;
    this.state.shotInProgress = false;
    this.syncMatch();
    const replay = this.replay(winner, reason);
    const winnerPlayerId = winner === null ? null : players[winner];
    reportMatchResult({ game: "pool", matchId: this.roomId, players, winnerPlayerId, reason });
    this.announce("matchOver", {
      matchId: this.roomId,
      roundId,
      winnerSeat: winner ?? -1,
      winnerPlayerId: winner === null ? null : players[winner],
      reason,
      potMinor: split.potMinor.toString(),
      rakeMinor: winner === null ? "0" : split.rakeMinor.toString(),
      payoutMinor: winner === null ? "0" : split.payoutMinor.toString(),
      refunded: winner === null,
      serverSeed: this.serverSeed,
      serverSeedHash: this.state.serverSeedHash,
      clientSeed: this.match.seeds.clientSeed,
    });
    try {
      await saveReplay(services().database.db, replay);
    } catch (error) {
      this.log().error({ err: error, matchId: this.roomId }, "storing the replay failed");
    }
    this.clock.setTimeout(() => void this.close(), CLOSE_AFTER_MATCH_MS);
  }

  private replay(winner: PlayerId | null, reason: PoolEndReason): PoolReplay {
    const match = this.match!;
    const racks: number[][] = [];
    for (let r = 1; r <= match.rules.rack; r++) racks.push(rackOrder(match.seeds, r));
    return {
      version: REPLAY_FORMAT_VERSION,
      game: "pool",
      matchId: this.roomId,
      roundId: `pool:${this.roomId}`,
      mode: this.options.mode,
      table: this.options.table,
      players: this.roundPlayers!,
      stakeMinor: this.options.stakeMinor.toString(),
      rakeBps: this.options.rakeBps,
      seeds: {
        serverSeed: this.serverSeed,
        serverSeedHash: this.state.serverSeedHash,
        clientSeed: match.seeds.clientSeed,
      },
      breaker: coinTossBreaker(match.seeds),
      racks,
      steps: match.steps,
      results: this.results,
      final: { balls: restingBalls(match.balls), winnerSeat: winner ?? -1, reason },
      startedAt: (this.startedAt ?? new Date()).toISOString(),
      finishedAt: new Date().toISOString(),
    };
  }

  /** A player gone for good: before the stakes are held the seat frees; after, the match is forfeited. */
  private async seatGone(seat: PlayerId, sessionId: string) {
    const player = this.seated[seat];
    if (!player || player.sessionId !== sessionId) return;
    this.log().info({ playerId: player.playerId, seat }, "left pool room");
    if (this.match && !this.over) {
      player.connected = false;
      this.syncSeats();
      // Abandoned by both: neither is there to win, so both stakes go back.
      const opponentHere = this.seated[other(seat)]?.connected === true;
      await this.finish(opponentHere ? other(seat) : null, opponentHere ? "forfeit" : "abandoned");
      return;
    }
    if (this.match) return;
    this.seated[seat] = null;
    this.accepted[0] = false;
    this.accepted[1] = false;
    this.seeds.clearPlayerSeed(seat);
    this.acceptTimer?.clear();
    this.state.phase = "waiting";
    this.syncSeats();
    if (this.options.mode === "quick" && !this.closing) await this.setPrivate(false);
    if (this.seated.every((p) => p === null)) void this.close();
  }

  private armAcceptTimer() {
    this.acceptTimer?.clear();
    this.acceptTimer = this.clock.setTimeout(() => {
      void this.runStep(() => {
        if (this.match) return;
        for (const client of this.clients)
          sendError(client, "acceptStake", "ACCEPT_TIMEOUT", "the stake was not accepted in time");
        void this.close();
      });
    }, this.options.acceptMs);
  }

  private clearTimers() {
    this.turnTimer?.clear();
    this.capTimer?.clear();
    this.turnTimer = undefined;
    this.capTimer = undefined;
    this.state.deadline = 0;
  }

  // ---- seats and state --------------------------------------------------------------------------------------

  private requireSeat(client: Client): PlayerId {
    const seat = this.seatOfSession(client.sessionId);
    if (seat < 0) throw new IntentRejected("NOT_SEATED", "spectators cannot act: you have no seat in this match");
    return seat as PlayerId;
  }

  private requirePlaying(client: Client): PlayerId {
    const seat = this.requireSeat(client);
    if (!this.match) throw new IntentRejected("NOT_STARTED", "the match starts once both players accept the stake");
    if (this.over) throw new IntentRejected("MATCH_OVER", "the match is over");
    return seat;
  }

  private seatOfSession(sessionId: string): number {
    return seatOfSession(this.seated, sessionId);
  }

  private clientOf(seat: number): Client | undefined {
    return this.clients.find((c) => c.sessionId === this.seated[seat]?.sessionId);
  }

  protected reconnectSeconds() {
    return this.options.reconnectSeconds;
  }

  protected setConnected(sessionId: string, connected: boolean) {
    const seat = this.seatOfSession(sessionId);
    if (seat < 0) return;
    this.seated[seat]!.connected = connected;
    const view = this.state.seats.get(String(seat));
    if (view) view.connected = connected;
  }

  private syncSeats() {
    syncSeatViews(
      this.seated,
      this.state.seats,
      (seat) => new PoolSeatView({ seat }),
      (view, player, seat) => {
        view.connected = player.connected;
        view.accepted = this.accepted[seat as PlayerId];
        view.extensionsLeft = this.matchClock?.extensionsLeft[seat as PlayerId] ?? 0;
        view.group = this.match?.rules.groups?.[seat as PlayerId] ?? "";
      },
    );
  }

  private syncMatch() {
    const match = this.match;
    if (!match) return;
    const rules = match.rules;
    const s = this.state;
    s.rulesPhase = rules.phase;
    s.rack = rules.rack;
    s.breaker = rules.breaker;
    s.shooter = rules.shooter;
    s.ballInHand = rules.ballInHand ?? "";
    s.mustCallPocket = rules.phase !== "gameOver" && !rules.pendingDecision && isShooterOnEight(rules);
    s.decisionReason = rules.pendingDecision?.reason ?? "";
    s.rerackBreakers.clear();
    for (const breaker of rules.pendingDecision?.rerackBreakers ?? []) s.rerackBreakers.push(breaker);
    s.shotCount = rules.shotCount;
    s.balls.clear();
    for (const ball of match.balls) s.balls.push(new PoolBallView({ id: ball.id, x: ball.x, y: ball.y }));
    s.ballsDown.clear();
    for (const { ball } of rules.ballsDown) s.ballsDown.push(ball);
    this.syncSeats();
  }
}

function other(seat: PlayerId): PlayerId {
  return seat === 0 ? 1 : 0;
}

/** The `shot` message: what a client needs to animate the shot, the settled table, and the ruling. */
function shotMessage(
  shotNumber: number,
  seat: PlayerId,
  request: ShotRequest,
  ballInHand: string | null,
  result: ShotResult,
  applied: { summary: ShotSummary; outcome: ShotOutcome },
  settled: [number, number, number][],
) {
  const k = result.keyframes;
  const { outcome } = applied;
  return {
    shotNumber,
    seat,
    request: { ...request, ballInHand },
    events: result.events.map((event) => {
      if (event.kind === "pocket")
        return { t: event.time_s, kind: event.kind, ball: event.ball, pocket: rulesPocketOf(event.pocket) };
      if (event.kind === "ball-ball")
        return { t: event.time_s, kind: event.kind, ball: event.ball, other: event.other_ball };
      if (event.kind === "ball-cushion")
        return { t: event.time_s, kind: event.kind, ball: event.ball, cushion: event.cushion };
      return { t: event.time_s, kind: event.kind, ball: event.ball, state: event.state };
    }),
    keyframes: {
      count: k.count,
      t: Array.from(k.time_s),
      ball: Array.from(k.ball),
      state: Array.from(k.state),
      data: Array.from(k.data),
    },
    totalTimeS: result.total_time_s,
    complete: result.complete,
    /** The settled table [id, x, y]: where the balls rest for the next shot. */
    balls: settled,
    summary: applied.summary,
    outcome: {
      legal: outcome.legal,
      fouls: outcome.fouls,
      wasBreak: outcome.wasBreak,
      illegalBreak: outcome.illegalBreak,
      groupsAssigned: outcome.groupsAssigned,
      turnContinues: outcome.turnContinues,
      nextShooter: outcome.nextShooter,
      ballInHand: outcome.ballInHand,
      pendingDecision: outcome.pendingDecision,
      gameOver: outcome.gameOver,
    },
  };
}
