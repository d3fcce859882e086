import type { Client } from "@colyseus/core";
import type { z } from "zod";
import { POOL_CLIENT_MESSAGES as M } from "../protocol/pool.ts";
import { splitPot } from "../simulation/money/pot.ts";
import { otherPlayer, type PlayerId } from "../simulation/pool/eightball/index.ts";
import { matchEnding, PoolMatch, type ShotRequest } from "../simulation/pool/match.ts";
import { hashServerSeed } from "../simulation/rng/index.ts";
import { reportMatchResult } from "../src/match-results.ts";
import { type MatchRecord, poolReplay, shotStepResult, tableStepResult } from "../src/replays/record.ts";
import { saveReplay } from "../src/replays/store.ts";
import { services } from "../src/services.ts";
import { reportTournamentMatch } from "../src/tournaments/match-results.ts";
import { GameRoom } from "./game-room.ts";
import { IntentRejected, intent, registerIntents, sendError } from "./intents.ts";
import { type decideSchema, engineStep, toShotRequest } from "./pool/messages.ts";
import {
  type PoolEndReason,
  type PoolJoinOptions,
  type PoolRoomMetadata,
  type PoolRoomOptions,
  parsePoolRoomOptions,
  poolMatchmakingOptions,
  poolRoomMetadata,
} from "./pool/room-options.ts";
import { PoolRoomState, type PoolRoomStateType } from "./pool/room-state.ts";
import { type PoolSeatHolder, syncPoolMatch, syncPoolSeats } from "./pool/state-sync.ts";
import { PoolTimers } from "./pool/turn-timers.ts";
import { matchOverMessage, matchStartedMessage, shotMessage, timeoutMessage } from "./pool/wire.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import { normalizeClientOptions, unusedCode } from "./room-options.ts";
import { RoomSeeds } from "./room-seeds.ts";
import { RoomRounds, StakeNotHeld } from "./round-ledger.ts";
import { clientOfSeat, requireSeat, seatForJoin, seatOfSession, showConnected } from "./seats.ts";
import { StepTimer } from "./step-timer.ts";

type Decision = z.infer<typeof decideSchema>;

const SPECTATORS_MAX = 20;
/** The longest a shot's animation window may hold the table. */
const ANIMATION_MAX_S = 120;

/**
 * 8-ball between two players, with spectators, as a thin adapter: the match engine (simulation/pool/match.ts) rules
 * every shot and decision, services().physics simulates each shot, RoomRounds holds and settles the stakes,
 * and this room seats the players (rooms/seats.ts), runs the timers (rooms/pool/turn-timers.ts), syncs the state
 * (rooms/pool/state-sync.ts), announces each change (rooms/pool/wire.ts) and stores the replay (src/replays).
 */
export class PoolRoom extends GameRoom<{ state: PoolRoomStateType; metadata: PoolRoomMetadata }> {
  static override async onAuth(token: string, options: unknown) {
    const identity = await authenticatePlayer(token);
    await normalizeClientOptions("pool", options, poolMatchmakingOptions);
    return identity;
  }

  override maxClients = 2 + SPECTATORS_MAX;
  override state = new PoolRoomState();

  readonly seated: [PoolSeatHolder | null, PoolSeatHolder | null] = [null, null];
  options!: PoolRoomOptions;
  timers!: PoolTimers;
  seeds!: RoomSeeds;
  rounds!: RoomRounds;
  /** The live server seed: never synced until the match is over. */
  serverSeed = "";
  /** The match from the held stakes on. */
  live: MatchRecord | null = null;
  capReached = false;
  over = false;
  closing = false;

  override async onCreate(input: unknown) {
    this.options = parsePoolRoomOptions(input, services().config.poolRakeBps);
    const { mode, stakeMinor, table, players } = this.options;
    this.setPatchRate(this.options.patchRateMs);
    this.maxMessagesPerSecond = this.options.maxMessagesPerSecond;
    this.timers = new PoolTimers(this.options, () => new StepTimer(this.clock, (step) => this.runStep(step)), {
      turn: () => this.turnTimedOut(),
      cap: () => this.matchTimeUp(),
      accept: () => this.acceptTimedOut(),
    });
    this.seeds = new RoomSeeds("pool", this.roomId);
    // A match holds both stakes from the break to its end. A hold one seat could not cover was refunded whole, so
    // the next try opens a round of its own.
    const roomId = this.roomId;
    this.rounds = new RoomRounds("pool", roomId, {
      kind: "match",
      roundId: (opened) => (opened === 1 ? `pool:${roomId}` : `pool:${roomId}:${opened}`),
    });
    const initial = this.seeds.initial();
    this.serverSeed = initial.serverSeed;
    const code = mode === "private" ? (this.options.code ?? (await unusedCode("pool"))) : "";
    this.state.assign({ mode, matchId: this.roomId, table, stakeMinor: `${stakeMinor}`, code });
    this.state.assign({ rakeBps: this.options.rakeBps, serverSeedHash: hashServerSeed(this.serverSeed) });
    this.state.clientSeed = initial.clientSeed;
    await this.setMetadata(poolRoomMetadata(this.options, code));
    // A tournament match is entered through the seats the tournament reserves; it is never listed.
    if (mode === "tournament" && players) await this.setPrivate(true);

    registerIntents(this, this.steps, {
      acceptStake: intent(M.acceptStake, (client) => this.acceptStake(client)),
      clientSeed: intent(M.clientSeed, (client, { seed }) => this.setClientSeed(client, seed)),
      shoot: intent(M.shoot, (client, payload) => this.shoot(client, toShotRequest(payload))),
      decide: intent(M.decide, (client, decision) => this.applyDecision(this.requireTable(client), decision)),
      extension: intent(M.extension, (client) => this.useExtension(client)),
      concede: intent(M.concede, (client) => this.finish(otherPlayer(this.requirePlaying(client)), "concede")),
    });
  }

  override onJoin(client: Client, options: PoolJoinOptions = {}) {
    const { playerId, displayName } = playerOf(client);
    const seat = seatForJoin(this.seated, { ...this.options, code: this.state.code }, { playerId, ...options });
    if (seat === null) {
      this.log().info({ playerId }, "spectating pool room");
      return;
    }
    this.seated[seat] = { playerId, displayName, sessionId: client.sessionId, connected: true, accepted: false };
    this.log().info({ playerId, seat }, "joined pool room");
    this.sync();
    if (!this.seated[0] || !this.seated[1]) return;
    // Both seats are taken: quick match stops offering this room; spectators still join by its id.
    void this.setPrivate(true);
    this.state.phase = "accepting";
    this.timers.awaitAcceptance();
  }

  override onLeave(client: Client) {
    const seat = seatOfSession(this.seated, client.sessionId);
    if (seat >= 0) void this.runStep(() => this.seatGone(seat as PlayerId, client.sessionId));
  }

  override onBeforeShutdown() {
    this.closing = true;
    void this.runStep(async () => {
      if (this.live && !this.over) await this.finish(null, "shutdown");
      else if (!this.over) void this.close();
    });
  }

  override async onDispose() {
    this.timers?.stop();
    await this.steps.run(() => {}).catch(() => {});
    // The room is going away with both stakes held and no result: return them (recovery would otherwise).
    await this.rounds
      ?.refund()
      .catch((err) => this.log().error({ err, roundId: this.rounds.roundId }, "refund failed"));
  }

  // ---- before the break: both accept, both stakes are held, the seeds are fixed --------------------------------

  private acceptStake(client: Client) {
    const seat = this.requireSeat(client);
    if (this.live) throw new IntentRejected("MATCH_STARTED", "the stakes are already held");
    if (this.closing) throw new IntentRejected("ROOM_CLOSING", "the room is closing: no new match");
    if (!this.seated[otherPlayer(seat)])
      throw new IntentRejected("NO_OPPONENT", "wait for an opponent before accepting");
    this.seated[seat]!.accepted = true;
    this.sync();
    if (this.seated.every((player) => player?.accepted)) return this.startMatch();
  }

  private setClientSeed(client: Client, seed: string) {
    const seat = this.requireSeat(client);
    if (this.live) throw new IntentRejected("SEEDS_FIXED", "the match's seeds were fixed when the stakes were held");
    this.seeds.setPlayerSeed(seat, seed);
  }

  private async startMatch() {
    const players: [string, string] = [this.seated[0]!.playerId, this.seated[1]!.playerId];
    const { stakeMinor, practice } = this.options;
    const roundId = practice ? this.rounds.nextRoundId() : await this.holdStakes(players, stakeMinor);
    this.autoDispose = false;
    const match = new PoolMatch(this.options.table, {
      serverSeed: this.serverSeed,
      clientSeed: this.seeds.clientSeed(),
    });
    this.live = { match, roundId, players, results: [], startedAt: new Date() };
    this.state.clientSeed = match.seeds.clientSeed;
    this.state.phase = "playing";
    this.timers.startMatch(Date.now());
    this.timers.startTurn(Date.now());
    const { serverSeedHash, clientSeed } = this.state;
    this.log().info(
      { roundId, players, stakeMinor: `${stakeMinor}`, serverSeedHash, clientSeed },
      "pool match started",
    );
    this.announce("matchStarted", matchStartedMessage(match, this.roomId, roundId, players, stakeMinor));
    this.sync();
  }

  /** Both stakes into a fresh wallet round; a seat whose stake cannot be held is un-accepted and told why. */
  private async holdStakes(players: [string, string], stakeMinor: bigint): Promise<string> {
    try {
      return await this.rounds.open(players.map((playerId, seat) => ({ seat, playerId, amountMinor: stakeMinor })));
    } catch (error) {
      if (!(error instanceof StakeNotHeld)) throw error;
      this.seated[error.seat]!.accepted = false;
      this.sync();
      // Both refusals announce the seat's acceptance taken back: they follow the patch that carries it.
      const client = clientOfSeat(this.clients, this.seated, error.seat);
      const message = `your stake could not be held: ${error.message}`;
      if (client) sendError(client, "acceptStake", error.code, message, true);
      throw new IntentRejected("STAKE_NOT_HELD", `seat ${error.seat} could not cover the stake: ${error.message}`, {
        afterPatch: true,
      });
    }
  }

  // ---- play: check, run the engine (and the physics), apply, sync ---------------------------------------------

  private async shoot(client: Client, request: ShotRequest) {
    const seat = this.requireTable(client);
    const { match } = this.live!;
    const input = engineStep(() => match.prepareShot(seat, request));
    // Until the animation window closes no other shot or decision is taken: the step queue holds every other step
    // while the physics runs, and the flag refuses them during the animation.
    this.state.shotInProgress = true;
    this.timers.stopTurn();
    this.state.deadline = 0;
    const result = await services()
      .physics.submit(input)
      .catch((error) => {
        this.state.shotInProgress = false;
        this.timers.startTurn(Date.now());
        this.sync();
        this.log().error({ err: error }, "shot simulation failed");
        throw new IntentRejected("PHYSICS_UNAVAILABLE", "the shot could not be simulated: take it again");
      });
    const ballInHand = match.rules.ballInHand;
    const applied = match.applyShot(seat, request, input, result);
    this.live!.results.push(shotStepResult(result, applied));
    this.announce("shot", shotMessage(match, seat, request, ballInHand, result, applied));
    this.sync();
    const windowMs = Math.min(result.total_time_s, ANIMATION_MAX_S) * 1000 * this.options.animationScale;
    this.clock.setTimeout(() => void this.runStep(() => this.shotSettled()), windowMs);
  }

  private shotSettled() {
    if (!this.state.shotInProgress || this.over) return;
    this.state.shotInProgress = false;
    return this.nextTurn();
  }

  private applyDecision(seat: PlayerId, decision: Decision) {
    const { match } = this.live!;
    const { outcome } = engineStep(() => match.decide(seat, decision));
    const table = tableStepResult("decision", match);
    this.live!.results.push(table);
    this.announce("decision", { seat, decision, outcome, balls: table.balls });
    return this.nextTurn();
  }

  private useExtension(client: Client) {
    const seat = this.requirePlaying(client);
    if (this.state.shotInProgress || this.live!.match.rules.shooter !== seat) {
      throw new IntentRejected("NOT_YOUR_TURN", "an extension is taken on your own shot clock");
    }
    engineStep(() => this.timers.extend(seat, Date.now()));
    this.sync();
  }

  /** The shot clock ran out: a pending decision accepts the table; a shot is ruled as one that touched nothing. */
  private turnTimedOut() {
    if (this.over || this.state.shotInProgress || !this.live) return;
    const { match } = this.live;
    const seat = match.rules.shooter;
    if (match.rules.pendingDecision) return this.applyDecision(seat, { kind: "acceptTable" });
    const applied = match.timeout(seat);
    this.live.results.push(tableStepResult("timeout", match));
    this.announce("timeout", timeoutMessage(match, seat, applied));
    return this.nextTurn();
  }

  /** After a shot's animation, a decision or a timeout: the match ends (by the rules or at the cap) or a turn starts. */
  private nextTurn() {
    const ending = matchEnding(this.live!.match, this.capReached);
    if (ending) return this.finish(ending.winner, ending.reason);
    this.timers.startTurn(Date.now());
    this.sync();
  }

  private async matchTimeUp() {
    if (this.over || !this.live) return;
    this.capReached = true;
    // A shot being animated finishes first; its result may still end the match by the rules.
    if (!this.state.shotInProgress) await this.finish(this.live.match.timeCapWinner(), "timeCap");
  }

  private acceptTimedOut() {
    if (this.live) return;
    for (const client of this.clients)
      sendError(client, "acceptStake", "ACCEPT_TIMEOUT", "the stake was not accepted in time");
    void this.close();
  }

  // ---- the end: split the pot, settle or refund, report, announce ---------------------------------------------

  private async finish(winner: PlayerId | null, reason: PoolEndReason) {
    if (this.over || !this.live) return;
    this.over = true;
    this.timers.stop();
    const { match, roundId, players } = this.live;
    const { stakeMinor, rakeBps, practice, mode } = this.options;
    const split = splitPot([stakeMinor, stakeMinor], { rakeBps, rakeCapMinor: null });
    // A practice match holds no round: there is nothing to refund or settle.
    if (winner === null) await this.rounds.refund();
    else if (!practice) {
      const payouts = [{ seat: winner, amountMinor: split.payoutMinor }];
      await this.rounds.settleSeats(payouts, { houseMinor: 0n, rakeMinor: split.rakeMinor });
    }
    const winnerPlayerId = winner === null ? null : players[winner];
    if (mode === "tournament") await reportTournamentMatch(this.roomId, winnerPlayerId, reason);
    reportMatchResult({ game: "pool", matchId: this.roomId, players, winnerPlayerId, reason });
    this.log().info(
      { roundId, players, winnerSeat: winner, reason, rakeMinor: `${winner === null ? 0n : split.rakeMinor}` },
      "pool match over",
    );
    this.autoDispose = true;
    this.state.assign({ phase: "over", winnerSeat: winner ?? -1, endReason: reason, serverSeed: this.serverSeed });
    this.state.shotInProgress = false;
    this.announce(
      "matchOver",
      matchOverMessage(match, { matchId: this.roomId, roundId, players }, winner, reason, split),
    );
    this.sync();
    await this.storeReplay(winner, reason);
    this.closeAfterMatch();
  }

  private async storeReplay(winnerSeat: PlayerId | null, reason: PoolEndReason) {
    const { mode, stakeMinor, rakeBps } = this.options;
    const room = { matchId: this.roomId, mode, stakeMinor, rakeBps };
    try {
      await saveReplay(services().database.db, poolReplay(this.live!, room, { winnerSeat, reason }, new Date()));
    } catch (error) {
      this.log().error({ err: error, matchId: this.roomId }, "storing the replay failed");
    }
  }

  /** A player gone for good: before the stakes are held the seat frees; after, the match is forfeited. */
  private async seatGone(seat: PlayerId, sessionId: string) {
    const player = this.seated[seat];
    if (!player || player.sessionId !== sessionId) return;
    this.log().info({ playerId: player.playerId, seat }, "left pool room");
    if (this.live && !this.over) {
      player.connected = false;
      this.sync();
      // Abandoned by both: neither is there to win, so both stakes go back.
      const opponentHere = this.seated[otherPlayer(seat)]?.connected === true;
      return this.finish(opponentHere ? otherPlayer(seat) : null, opponentHere ? "forfeit" : "abandoned");
    }
    if (this.live) return;
    this.seated[seat] = null;
    for (const other of this.seated) if (other) other.accepted = false;
    this.seeds.clearPlayerSeed(seat);
    this.timers.stopAcceptance();
    this.state.phase = "waiting";
    this.sync();
    if (this.options.mode === "quick" && !this.closing) await this.setPrivate(false);
    if (this.seated.every((p) => p === null)) void this.close();
  }

  // ---- seats and state ----------------------------------------------------------------------------------------

  private requireSeat(client: Client): PlayerId {
    return requireSeat(this.seated, client, "spectators cannot act: you have no seat in this match") as PlayerId;
  }

  private requirePlaying(client: Client): PlayerId {
    const seat = this.requireSeat(client);
    if (!this.live) throw new IntentRejected("NOT_STARTED", "the match starts once both players accept the stake");
    if (this.over) throw new IntentRejected("MATCH_OVER", "the match is over");
    return seat;
  }

  /** A seat that may act on the table now: the match is on and no shot is rolling. */
  private requireTable(client: Client): PlayerId {
    const seat = this.requirePlaying(client);
    if (this.state.shotInProgress) {
      throw new IntentRejected("SHOT_IN_PROGRESS", "the balls are still moving: wait for the table to settle");
    }
    return seat;
  }

  protected reconnectSeconds() {
    return this.options.reconnectSeconds;
  }

  protected setConnected(sessionId: string, connected: boolean) {
    const seat = seatOfSession(this.seated, sessionId);
    if (seat >= 0) this.seated[seat]!.connected = connected;
    showConnected(this.seated, this.state.seats, sessionId, connected);
  }

  private sync() {
    const match = this.live?.match ?? null;
    if (match) syncPoolMatch(this.state, match, this.timers);
    else this.state.deadline = 0;
    syncPoolSeats(this.state, this.seated, match, this.timers);
  }
}
