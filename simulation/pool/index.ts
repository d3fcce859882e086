// Pool physics (CPU): the engine's public surface. See docs/physics.md for the model and its sources.

export {
  BALL_POCKETED,
  BALL_ROLLING,
  BALL_SLIDING,
  BALL_SPINNING,
  BALL_STATE_NAMES,
  BALL_STATIONARY,
  type BallStateName,
  type BatchLimits,
  DEFAULT_BATCH_LIMITS,
  KEYFRAME_STRIDE,
} from "./ball-state.ts";
export { type CueStrike, cueStrikeVelocity, MAX_CUE_BALL_SPEED_M_S, MISCUE_OFFSET_LIMIT } from "./cue-strike.ts";
export {
  CUE_BALL_ID,
  CUSHION_COUNT,
  mirrorCushionId,
  mirrorPocketId,
  POCKET_COUNT,
  POCKET_NAMES,
  TABLE_SIZES,
  TABLE_SPECS,
  type TableGeometry,
  type TableSize,
  type TableSpec,
  tableGeometry,
  WPA_BALL_MASS_KG,
  WPA_BALL_RADIUS_M,
} from "./equipment.ts";
export { DEFAULT_PHYSICS_PARAMS, IDEAL_COLLISION_PARAMS, type PhysicsParams } from "./params.ts";
export type { Precision } from "./precision.ts";
export { breakShot, cueBallInKitchen, DEFAULT_RACK_ORDER, midGameShot, rackEightBall } from "./rack.ts";
export {
  type BallPlacement,
  type FinalBall,
  interpolateBall,
  type Keyframes,
  MAX_BATCH_SHOTS,
  type ShotEvent,
  type ShotInput,
  type ShotResult,
  type SimulateOptions,
  simulateShot,
  simulateShots,
  validateShotInput,
} from "./simulate-shots.ts";
