// A pool match's replay, assembled from the match engine and the results the room broadcast: pure given its inputs,
// so the room, the tests and any tool build the same document from the same match.

import type { PlayerId } from "../../simulation/pool/eightball/index.ts";
import type { ShotResult } from "../../simulation/pool/index.ts";
import { type AppliedShot, coinTossBreaker, type PoolMatch, rackOrder } from "../../simulation/pool/match.ts";
import { hashServerSeed } from "../../simulation/rng/index.ts";
import {
  type PoolReplay,
  REPLAY_FORMAT_VERSION,
  restingBalls,
  type ShotStepResult,
  type StepResult,
  type TableStepResult,
} from "./format.ts";

/** A match as the room plays it: the engine, its wallet round and players, and what each step broadcast. */
export interface MatchRecord {
  match: PoolMatch;
  roundId: string;
  players: [string, string];
  /** `results[i]` is what step i of the match broadcast. */
  results: StepResult[];
  startedAt: Date;
}

/** What the replay keeps of the room the match was played in. */
export interface PoolReplayRoom {
  matchId: string;
  mode: string;
  stakeMinor: bigint;
  rakeBps: number;
}

/** A simulated shot as the replay keeps it: every ball as the physics left it, and the ruling's summary. */
export function shotStepResult(
  result: ShotResult & { backend?: "cpu" | "webgpu" },
  applied: AppliedShot,
): ShotStepResult {
  return {
    kind: "shot",
    balls: result.balls.map((ball) => [ball.id, ball.x, ball.y, ball.pocket ?? -1]),
    summary: applied.summary,
    fouls: [...applied.outcome.fouls],
    totalTimeS: result.total_time_s,
    complete: result.complete,
    backend: result.backend,
  };
}

/** A decision or a timeout as the replay keeps it: the table it left. */
export function tableStepResult(kind: TableStepResult["kind"], match: PoolMatch): TableStepResult {
  return { kind, balls: restingBalls(match.balls) };
}

/** The replay of a finished match. */
export function poolReplay(
  record: MatchRecord,
  room: PoolReplayRoom,
  final: { winnerSeat: PlayerId | null; reason: string },
  finishedAt: Date,
): PoolReplay {
  const { match } = record;
  const racks: number[][] = [];
  for (let rack = 1; rack <= match.rules.rack; rack++) racks.push(rackOrder(match.seeds, rack));
  return {
    version: REPLAY_FORMAT_VERSION,
    game: "pool",
    matchId: room.matchId,
    roundId: record.roundId,
    mode: room.mode,
    table: match.table,
    players: record.players,
    stakeMinor: room.stakeMinor.toString(),
    rakeBps: room.rakeBps,
    seeds: {
      serverSeed: match.seeds.serverSeed,
      serverSeedHash: hashServerSeed(match.seeds.serverSeed),
      clientSeed: match.seeds.clientSeed,
    },
    breaker: coinTossBreaker(match.seeds),
    racks,
    steps: [...match.steps],
    results: [...record.results],
    final: { balls: restingBalls(match.balls), winnerSeat: final.winnerSeat ?? -1, reason: final.reason },
    startedAt: record.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
}
