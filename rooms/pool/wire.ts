// The pool room's server messages (protocol/pool.ts POOL_SERVER_MESSAGES), shaped from the match engine's results.

import type { PotSplit } from "../../simulation/money/pot.ts";
import type { PlayerId } from "../../simulation/pool/eightball/index.ts";
import { rulesPocketOf } from "../../simulation/pool/eightball-summary.ts";
import type { ShotResult } from "../../simulation/pool/index.ts";
import { type AppliedShot, type PoolMatch, rackOrder, type ShotRequest } from "../../simulation/pool/match.ts";
import { hashServerSeed } from "../../simulation/rng/index.ts";
import { restingBalls } from "../../src/replays/format.ts";

export function matchStartedMessage(
  match: PoolMatch,
  matchId: string,
  roundId: string,
  players: [string, string],
  stakeMinor: bigint,
) {
  return {
    matchId,
    roundId,
    players,
    stakeMinor: stakeMinor.toString(),
    breaker: match.rules.breaker,
    serverSeedHash: hashServerSeed(match.seeds.serverSeed),
    clientSeed: match.seeds.clientSeed,
    rack: rackOrder(match.seeds, 1),
  };
}

/** The `shot` message: what a client needs to animate the shot, the settled table, and the ruling. */
export function shotMessage(
  match: PoolMatch,
  seat: PlayerId,
  request: ShotRequest,
  ballInHand: string | null,
  result: ShotResult,
  applied: AppliedShot,
) {
  const k = result.keyframes;
  const { outcome } = applied;
  return {
    shotNumber: match.rules.shotCount,
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
    balls: restingBalls(match.balls),
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

/** The shot clock ran out: ruled as a shot that touched nothing. */
export function timeoutMessage(match: PoolMatch, seat: PlayerId, applied: AppliedShot) {
  const { outcome } = applied;
  return {
    seat,
    fouls: outcome.fouls,
    illegalBreak: outcome.illegalBreak,
    nextShooter: outcome.nextShooter,
    ballInHand: outcome.ballInHand,
    balls: restingBalls(match.balls),
  };
}

/** How the match ended and what it paid; a refund (no winner) pays no rake. */
export function matchOverMessage(
  match: PoolMatch,
  ids: { matchId: string; roundId: string; players: [string, string] },
  winner: PlayerId | null,
  reason: string,
  split: PotSplit,
) {
  const paid = winner !== null;
  return {
    matchId: ids.matchId,
    roundId: ids.roundId,
    winnerSeat: winner ?? -1,
    winnerPlayerId: paid ? ids.players[winner] : null,
    reason,
    potMinor: split.potMinor.toString(),
    rakeMinor: paid ? split.rakeMinor.toString() : "0",
    payoutMinor: paid ? split.payoutMinor.toString() : "0",
    refunded: !paid,
    serverSeed: match.seeds.serverSeed,
    serverSeedHash: hashServerSeed(match.seeds.serverSeed),
    clientSeed: match.seeds.clientSeed,
  };
}
