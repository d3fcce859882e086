// Runs the pool bot against a physics service: all candidates of one decision go to the simulator together (through
// the process's ShotBatcher they share one batch, or one dispatch on WebGPU), then the bot chooses and adds its
// level's noise. Used to fill tables, in load tests and in tests.

import {
  type BotLevel,
  type BotTable,
  type Candidate,
  chooseCandidate,
  executeWithNoise,
  proposeCandidates,
  type ScoredCandidate,
} from "../../simulation/pool/bot/index.ts";
import type { Decision, EightBallState, ShotIntent } from "../../simulation/pool/eightball/index.ts";
import type { ShotInput, ShotResult } from "../../simulation/pool/index.ts";
import type { ShotBatcher } from "./batcher.ts";

export type SimulateBatch = (shots: ShotInput[]) => Promise<ShotResult[]>;

/** A simulator that sends every shot through the batcher, which gathers them into one batch. */
export function simulateThrough(batcher: ShotBatcher): SimulateBatch {
  return (shots) => Promise.all(shots.map((shot) => batcher.submit(shot)));
}

export interface BotShot {
  /** The shot to play (the choice with the level's noise) and the intent to send with it. */
  shot: ShotInput;
  intent: ShotIntent;
  /** The candidate chosen, with the outcome the bot foresaw for it. */
  planned: ScoredCandidate & { forcedFoul: boolean };
  candidates: number;
}

export async function chooseBotShot(
  simulate: SimulateBatch,
  table: BotTable,
  state: EightBallState,
  level: BotLevel,
  random: () => number,
): Promise<BotShot> {
  const candidates: Candidate[] = proposeCandidates(table, state, level);
  if (candidates.length === 0) throw new Error("the bot found no shot to propose");
  const results = await simulate(candidates.map((c) => c.input));
  const planned = chooseCandidate(table, state, candidates, results);
  return {
    shot: executeWithNoise(planned.candidate, level, random),
    intent: planned.candidate.intent,
    planned,
    candidates: candidates.length,
  };
}

/** The bot's answer to a pending decision after a break: it always plays on. */
export function botDecision(_state: EightBallState): Decision {
  return { kind: "acceptTable" };
}
