// Crafted shot summaries and table positions for the 8-ball rule tests.

import { expect } from "vitest";
import {
  type BallInHandArea,
  checkStateInvariants,
  type EightBallState,
  type Group,
  OBJECT_BALLS,
  type ObjectBall,
  type PlayerId,
  type ShotRuling,
  type ShotSummary,
} from "../../../../simulation/pool/eightball/index.ts";

/** A shot that touched nothing and moved nothing; each test states only what its shot did. */
export function shot(fields: Partial<ShotSummary> = {}): ShotSummary {
  return {
    intent: { calledPocket: null },
    firstContact: null,
    pocketed: [],
    cueBallPocketed: false,
    cushionAfterFirstContact: false,
    objectBallsToCushion: [],
    offTable: [],
    ...fields,
  };
}

/** A plain legal shot: `ball` hit first, a cushion after contact, and whatever else the test adds. */
export function hit(ball: ObjectBall, fields: Partial<ShotSummary> = {}): ShotSummary {
  return shot({ firstContact: ball, cushionAfterFirstContact: true, ...fields });
}

/** A position after the break: the listed balls on the table, the rest pocketed earlier in pocket 0. */
export function position(options: {
  shooter: PlayerId;
  groups: readonly [Group, Group] | null;
  onTable: readonly ObjectBall[];
  ballInHand?: BallInHandArea | null;
}): EightBallState {
  const onTable = [...options.onTable].sort((a, b) => a - b);
  const state: EightBallState = {
    phase: options.groups === null ? "openTable" : "groupsAssigned",
    rack: 1,
    shotCount: 10,
    breaker: 0,
    shooter: options.shooter,
    groups: options.groups,
    ballInHand: options.ballInHand ?? null,
    ballsOnTable: onTable,
    ballsDown: OBJECT_BALLS.filter((ball) => !onTable.includes(ball)).map((ball) => ({ ball, where: 0 as const })),
    pendingDecision: null,
    result: null,
  };
  expect(checkStateInvariants(state)).toEqual([]);
  return state;
}

/** The ruling's state and outcome, failing the test if the engine refused the shot or broke an invariant. */
export function accepted(ruling: ShotRuling) {
  if (!ruling.ok) throw new Error(`shot refused: ${ruling.error.code} ${ruling.error.message}`);
  expect(checkStateInvariants(ruling.state)).toEqual([]);
  return ruling;
}
