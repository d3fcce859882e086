// Replays a stored game: the same steps from the same start always reach the same state.

import { applyShot } from "./apply-shot.ts";
import { applyDecision } from "./decision.ts";
import type { RuleError } from "./errors.ts";
import { validateShotIntent } from "./intent.ts";
import type { ShotSummary } from "./shot-summary.ts";
import type { Decision, EightBallState } from "./state.ts";
import type { PlayerId } from "./table.ts";

/** One recorded step of a game: a simulated shot by `player`, or a decision after a break. */
export type GameStep =
  | { readonly kind: "shot"; readonly player: PlayerId; readonly summary: ShotSummary }
  | { readonly kind: "decision"; readonly player: PlayerId; readonly decision: Decision };

export type ReplayResult =
  | { readonly ok: true; readonly state: EightBallState }
  /** `state` is the state before the refused step; a log that refuses a step was not recorded from this engine. */
  | { readonly ok: false; readonly state: EightBallState; readonly stepIndex: number; readonly error: RuleError };

export function replayGame(initial: EightBallState, steps: readonly GameStep[]): ReplayResult {
  let state = initial;
  for (const [stepIndex, step] of steps.entries()) {
    let ruling: { ok: true; state: EightBallState } | { ok: false; error: RuleError };
    if (step.kind === "shot") {
      const error = validateShotIntent(state, step.player, step.summary.intent);
      ruling = error ? { ok: false, error } : applyShot(state, step.summary);
    } else {
      ruling = applyDecision(state, step.player, step.decision);
    }
    if (!ruling.ok) return { ok: false, state, stepIndex, error: ruling.error };
    state = ruling.state;
  }
  return { ok: true, state };
}
