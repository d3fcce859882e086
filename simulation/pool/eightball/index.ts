// The 8-ball rules engine (WPA World Standardized Rules): pure, deterministic, driven by shot summaries.

export { applyShot, type FoulKind, type ShotOutcome, type ShotRuling } from "./apply-shot.ts";
export { applyDecision, type DecisionOutcome, type DecisionRuling, validateDecision } from "./decision.ts";
export type { RuleError, RuleErrorCode } from "./errors.ts";
export { validateShotIntent } from "./intent.ts";
export { type PocketedBall, type ShotIntent, type ShotSummary, validateShotSummary } from "./shot-summary.ts";
export {
  type BallInHandArea,
  checkStateInvariants,
  createEightBallGame,
  type Decision,
  type DecisionReason,
  type DownBall,
  type EightBallState,
  type GameOverReason,
  type GameResult,
  groupCleared,
  isShooterOnEight,
  type PendingDecision,
  type Phase,
} from "./state.ts";
export {
  CUE_BALL,
  EIGHT_BALL,
  type Group,
  groupOf,
  OBJECT_BALLS,
  type ObjectBall,
  otherPlayer,
  type PlayerId,
  POCKETS,
  type PocketId,
  SOLIDS,
  STRIPES,
} from "./table.ts";
