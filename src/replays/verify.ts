// Plays a stored pool match again: recomputes the coin toss and racks from the revealed seeds, re-simulates every
// shot from the stored inputs on the backend that computed it, compares each with the result that was broadcast, and checks that
// the final table and the winner come out the same. The broadcast results are the ones that count: play goes on
// from them even where a re-simulation disagrees, so one disagreement is reported once and does not spread.

import type { ShotSummary } from "../../simulation/pool/eightball/index.ts";
import { type ShotInput, type ShotResult, simulateShot } from "../../simulation/pool/index.ts";
import { coinTossBreaker, MatchRefusal, PoolMatch, rackOrder } from "../../simulation/pool/match.ts";
import { verifyCommitment } from "../../simulation/rng/index.ts";
import type { PoolReplay, RestingBall } from "./format.ts";

export interface ShotAgreement {
  step: number;
  seat: number;
  /** Same balls pocketed, in the same pockets, and every ball within `toleranceM` of the stored position. */
  agrees: boolean;
  maxDeviationM: number;
  pocketsAgree: boolean;
}

export interface ReplayReport {
  matchId: string;
  commitmentOk: boolean;
  breakerOk: boolean;
  racksOk: boolean;
  /** Every step was accepted by the rules again. */
  stepsOk: boolean;
  shots: ShotAgreement[];
  shotsAgreeing: number;
  finalTableOk: boolean;
  winnerOk: boolean;
  replayedWinnerSeat: number;
  problems: string[];
  ok: boolean;
}

/** Simulates one stored shot on the backend that computed it during the match. */
export type ReplaySimulator = (input: ShotInput, backend: "cpu" | "webgpu") => ShotResult | Promise<ShotResult>;

export interface ReplayOptions {
  /** The CPU engine by default (see replay-simulator.ts for one that also runs WebGPU shots on WebGPU). */
  simulate?: ReplaySimulator;
  /** Largest position difference still counted as agreement (default 0: bit-identical). */
  toleranceM?: number;
}

function sameTable(a: readonly RestingBall[], b: readonly RestingBall[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((ball) => [ball[0], ball]));
  return a.every(([id, x, y]) => {
    const other = byId.get(id);
    return other !== undefined && other[1] === x && other[2] === y;
  });
}

export async function replayPoolMatch(replay: PoolReplay, options: ReplayOptions = {}): Promise<ReplayReport> {
  const simulate: ReplaySimulator = options.simulate ?? ((input) => simulateShot(input));
  const tolerance = options.toleranceM ?? 0;
  const problems: string[] = [];
  const seeds = { serverSeed: replay.seeds.serverSeed, clientSeed: replay.seeds.clientSeed };
  const commitmentOk = verifyCommitment(seeds.serverSeed, replay.seeds.serverSeedHash);
  if (!commitmentOk) problems.push("the revealed server seed does not hash to the commitment shown before the match");
  const breakerOk = coinTossBreaker(seeds) === replay.breaker;
  if (!breakerOk) problems.push(`the coin toss gives seat ${coinTossBreaker(seeds)}, the match had ${replay.breaker}`);
  let racksOk = true;
  replay.racks.forEach((order, i) => {
    if (JSON.stringify(rackOrder(seeds, i + 1)) !== JSON.stringify(order)) {
      racksOk = false;
      problems.push(`rack ${i + 1} does not match its seeds`);
    }
  });

  const match = new PoolMatch(replay.table, seeds);
  const shots: ShotAgreement[] = [];
  let stepsOk = true;
  for (const [index, step] of replay.steps.entries()) {
    const stored = replay.results[index];
    try {
      if (step.kind === "shot") {
        if (stored?.kind !== "shot") throw new Error("no stored shot result");
        const input = match.prepareShot(step.seat, step.request);
        const fresh = await simulate(input, stored.backend ?? "cpu");
        const byId = new Map(stored.balls.map((ball) => [ball[0], ball]));
        let maxDeviationM = 0;
        let pocketsAgree = fresh.balls.length === stored.balls.length;
        for (const ball of fresh.balls) {
          const old = byId.get(ball.id);
          if (!old) {
            pocketsAgree = false;
            continue;
          }
          maxDeviationM = Math.max(maxDeviationM, Math.hypot(ball.x - old[1], ball.y - old[2]));
          if ((ball.pocket ?? -1) !== old[3]) pocketsAgree = false;
        }
        const agrees = pocketsAgree && maxDeviationM <= tolerance;
        shots.push({ step: index, seat: step.seat, agrees, maxDeviationM, pocketsAgree });
        const settled = stored.balls.filter((ball) => ball[3] === -1).map(([id, x, y]) => ({ id, x, y }));
        match.applySettled(step.seat, step.request, stored.summary as ShotSummary, settled);
      } else if (step.kind === "decision") {
        match.decide(step.seat, step.decision);
      } else {
        match.timeout(step.seat);
      }
      if (
        stored &&
        stored.kind !== "shot" &&
        !sameTable(
          match.balls.map((b) => [b.id, b.x, b.y]),
          stored.balls,
        )
      ) {
        problems.push(`step ${index} (${step.kind}) left a different table than the stored one`);
      }
    } catch (error) {
      stepsOk = false;
      let why = error instanceof Error ? error.message : String(error);
      if (error instanceof MatchRefusal) why = `${error.code} ${why}`;
      problems.push(`step ${index} (${step.kind}) was refused: ${why}`);
      break;
    }
  }

  const finalTable: RestingBall[] = match.balls.map((ball) => [ball.id, ball.x, ball.y]);
  const finalTableOk = stepsOk && sameTable(finalTable, replay.final.balls);
  if (!finalTableOk) problems.push("the final table differs from the stored one");
  let replayedWinnerSeat: number;
  if (match.rules.result) replayedWinnerSeat = match.rules.result.winner;
  else if (replay.final.reason === "timeCap") replayedWinnerSeat = match.timeCapWinner();
  // A forfeit, a concession or an abandonment is no table event: the stored one stands.
  else replayedWinnerSeat = replay.final.winnerSeat;
  const winnerOk = replayedWinnerSeat === replay.final.winnerSeat;
  if (!winnerOk)
    problems.push(
      `the replay gives seat ${replayedWinnerSeat} the match, the stored winner is ${replay.final.winnerSeat}`,
    );
  const shotsAgreeing = shots.filter((shot) => shot.agrees).length;
  return {
    matchId: replay.matchId,
    commitmentOk,
    breakerOk,
    racksOk,
    stepsOk,
    shots,
    shotsAgreeing,
    finalTableOk,
    winnerOk,
    replayedWinnerSeat,
    problems,
    ok: commitmentOk && breakerOk && racksOk && stepsOk && finalTableOk && winnerOk,
  };
}
