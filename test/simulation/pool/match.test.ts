import { describe, expect, it } from "vitest";
import {
  type EightBallState,
  OBJECT_BALLS,
  type ObjectBall,
  type PlayerId,
  type PocketId,
} from "../../../simulation/pool/eightball/index.ts";
import { rulesPocketOf } from "../../../simulation/pool/eightball-summary.ts";
import {
  type BallPlacement,
  rackEightBall,
  simulateShot,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "../../../simulation/pool/index.ts";
import { MatchRefusal, PoolMatch, type ShotRequest } from "../../../simulation/pool/match.ts";

// The match engine (simulation/pool/match.ts) driven with crafted tables and real physics shots: every ruling
// below comes from the rules engine reading what the physics did, through the summary bridge, as in the room.

const R = WPA_BALL_RADIUS_M;
const g = tableGeometry("9ft");
const SEEDS = { serverSeed: "a".repeat(64), clientSeed: "rules-test" };
/** Physics pocket 2 (foot-right corner, +x −y) and 3 (foot-left corner, +x +y). */
const FOOT_RIGHT = 2;
const FOOT_LEFT = 3;

function pocket(p: number) {
  return { x: g.pockets[p * 3]!, y: g.pockets[p * 3 + 1]! };
}

/** A match in mid-game: `shooter` on `group`, the given balls on the table at the given spots. */
function midGame(
  balls: BallPlacement[],
  options: { shooter?: PlayerId; groups?: EightBallState["groups"]; ballInHand?: EightBallState["ballInHand"] } = {},
): PoolMatch {
  const match = new PoolMatch("9ft", SEEDS);
  const onTable = balls.map((b) => b.id).filter((id) => id !== 0) as ObjectBall[];
  const groups = options.groups === undefined ? (["solids", "stripes"] as const) : options.groups;
  match.rules = {
    phase: groups ? "groupsAssigned" : "openTable",
    rack: 1,
    shotCount: 10,
    breaker: 0,
    shooter: options.shooter ?? 0,
    groups,
    ballInHand: options.ballInHand ?? null,
    ballsOnTable: [...onTable].sort((a, b) => a - b),
    ballsDown: OBJECT_BALLS.filter((b) => !onTable.includes(b)).map((ball) => ({ ball, where: 2 as PocketId })),
    pendingDecision: null,
    result: null,
  };
  match.balls = balls;
  return match;
}

/** A request aiming the cue ball (at `from`) at `at`. */
function aim(
  from: { x: number; y: number },
  at: { x: number; y: number },
  speed: number,
  extra: Partial<ShotRequest> = {},
): ShotRequest {
  return {
    directionRad: Math.atan2(at.y - from.y, at.x - from.x),
    speed,
    side: 0,
    vertical: 0,
    elevationDeg: 0,
    calledPocket: null,
    cueBall: null,
    ...extra,
  };
}

/** The cue ball `back` metres behind `ball` on the line from physics pocket `p` through it. */
function behind(ball: { x: number; y: number }, p: number, back = 0.4) {
  const c = pocket(p);
  const len = Math.hypot(c.x - ball.x, c.y - ball.y);
  return { id: 0, x: ball.x - ((c.x - ball.x) / len) * back, y: ball.y - ((c.y - ball.y) / len) * back };
}

function play(match: PoolMatch, seat: PlayerId, request: ShotRequest) {
  const input = match.prepareShot(seat, request);
  return match.applyShot(seat, request, input, simulateShot(input));
}

function refusal(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof MatchRefusal) return error.code;
    throw error;
  }
  return "ACCEPTED";
}

describe("8-ball rulings at room level, from real physics shots", () => {
  it("the fair rack has the 8 in the middle, a solid and a stripe in the back corners, and the breaker in hand behind the head string", () => {
    const match = new PoolMatch("9ft", SEEDS);
    expect(match.rules.phase).toBe("break");
    expect(match.rules.ballInHand).toBe("behindHeadString");
    expect(match.cueBall()).toBeUndefined();
    const rack = rackEightBall("9ft");
    const eightSlot = rack.findIndex((b) => b.id === 8);
    const eight = match.balls.find((b) => b.id === 8)!;
    expect([eight.x, eight.y]).toEqual([rack[eightSlot]!.x, rack[eightSlot]!.y]);
    const corners = [match.balls[10]!.id, match.balls[14]!.id];
    expect(corners.filter((id) => id < 8).length).toBe(1);
    // A break placed in front of the head string is refused; from the kitchen it is played.
    const apex = match.balls[0]!;
    const front = aim({ x: g.head_string_x_m + 0.1, y: 0 }, apex, 9, { cueBall: { x: g.head_string_x_m + 0.1, y: 0 } });
    expect(refusal(() => match.prepareShot(match.rules.shooter, front))).toBe("NOT_BEHIND_HEAD_STRING");
    const kitchen = { x: g.head_string_x_m - 0.3, y: 0.05 };
    const { outcome } = play(match, match.rules.shooter, aim(kitchen, apex, 10, { cueBall: kitchen }));
    expect(outcome.wasBreak).toBe(true);
  });

  it("a scratch: the cue ball into a pocket touching nothing is a foul, and the opponent has ball in hand anywhere", () => {
    const cue = { id: 0, x: 0.7, y: -0.3 };
    const match = midGame([cue, { id: 2, x: -0.8, y: 0.4 }, { id: 10, x: -0.5, y: -0.4 }, { id: 8, x: 0, y: 0.3 }]);
    const { outcome } = play(match, 0, aim(cue, pocket(FOOT_RIGHT), 2));
    expect(outcome.fouls).toEqual(["cueBallPocketed", "noContact"]);
    expect(match.rules.shooter).toBe(1);
    expect(match.rules.ballInHand).toBe("anywhere");
    expect(match.cueBall()).toBeUndefined();
    // The incoming player must place the cue ball; in front of the head string is fine after a foul in play.
    const shot = aim({ x: 0.3, y: 0 }, { x: 0.5, y: 0 }, 1);
    expect(refusal(() => match.prepareShot(1, shot))).toBe("PLACEMENT_REQUIRED");
    expect(refusal(() => match.prepareShot(1, { ...shot, cueBall: { x: -0.5, y: -0.4 + R } }))).toBe("OVERLAPS_BALL");
    expect(refusal(() => match.prepareShot(1, { ...shot, cueBall: { x: g.half_length_m, y: 0 } }))).toBe("OFF_TABLE");
    expect(refusal(() => match.prepareShot(1, { ...shot, cueBall: { x: 0.3, y: 0 } }))).toBe("ACCEPTED");
  });

  it("hitting the opponent's ball first is a foul (wrong ball first)", () => {
    const cue = { id: 0, x: -0.5, y: 0 };
    const match = midGame([cue, { id: 12, x: 0, y: 0 }, { id: 3, x: 0.6, y: 0.4 }, { id: 8, x: 0.9, y: -0.3 }]);
    const { outcome } = play(match, 0, aim(cue, { x: 0, y: 0 }, 2.5));
    expect(outcome.fouls).toContain("wrongBallFirst");
    expect(match.rules.ballInHand).toBe("anywhere");
    expect(match.rules.shooter).toBe(1);
  });

  it("a soft touch that sends no ball to a rail and pockets nothing is a foul (no rail after contact)", () => {
    const cue = { id: 0, x: -0.3, y: 0 };
    const match = midGame([cue, { id: 4, x: 0, y: 0 }, { id: 14, x: 0.8, y: 0.4 }, { id: 8, x: -0.9, y: -0.3 }]);
    const { outcome, summary } = play(match, 0, aim(cue, { x: 0, y: 0 }, 0.4));
    expect(summary.firstContact).toBe(4);
    expect(outcome.fouls).toEqual(["noRailAfterContact"]);
    expect(match.rules.ballInHand).toBe("anywhere");
  });

  it("a cue ball that touches no ball at all is a foul (no contact)", () => {
    const cue = { id: 0, x: -0.5, y: 0 };
    const match = midGame([cue, { id: 4, x: 0.5, y: 0.4 }, { id: 14, x: 0.8, y: -0.4 }, { id: 8, x: -0.9, y: -0.3 }]);
    const { outcome } = play(match, 0, aim(cue, { x: 0, y: -0.3 }, 0.5));
    expect(outcome.fouls).toEqual(["noContact"]);
  });

  it("potting one's own ball keeps the turn with the cue ball where it lies; on an open table it picks the group", () => {
    const ball = { id: 11, x: 0.8, y: -0.3 };
    const cue = behind(ball, FOOT_RIGHT);
    const match = midGame([cue, ball, { id: 5, x: -0.6, y: 0.4 }, { id: 8, x: -0.2, y: 0.2 }], { groups: null });
    const { outcome, summary } = play(match, 0, aim(cue, ball, 2.5));
    expect(summary.pocketed).toEqual([{ ball: 11, pocket: rulesPocketOf(FOOT_RIGHT) }]);
    expect(outcome.legal).toBe(true);
    expect(outcome.turnContinues).toBe(true);
    expect(match.rules.groups).toEqual(["stripes", "solids"]);
    expect(match.rules.ballInHand).toBeNull();
    expect(match.cueBall()).toBeDefined();
  });

  it("with ball in hand behind the head string, shooting first at a ball that lies behind it is a foul (6.11)", () => {
    const match = midGame(
      [
        { id: 6, x: g.head_string_x_m - 0.2, y: 0.2 },
        { id: 13, x: 0.5, y: 0 },
        { id: 8, x: 0.9, y: 0.3 },
      ],
      {
        ballInHand: "behindHeadString",
      },
    );
    const place = { x: g.head_string_x_m - 0.2, y: -0.3 };
    const { outcome } = play(match, 0, aim(place, { x: g.head_string_x_m - 0.2, y: 0.2 }, 1.5, { cueBall: place }));
    expect(outcome.fouls).toContain("badPlayFromBehindHeadString");
  });

  it("on the 8 the pocket must be called; the 8 in the called pocket wins the match", () => {
    const eight = { id: 8, x: 0.8, y: 0.3 };
    const cue = behind(eight, FOOT_LEFT);
    const match = midGame([cue, eight, { id: 9, x: -0.6, y: -0.4 }]);
    expect(refusal(() => match.prepareShot(0, aim(cue, eight, 2.5)))).toBe("CALLED_POCKET_REQUIRED");
    play(match, 0, aim(cue, eight, 2.5, { calledPocket: rulesPocketOf(FOOT_LEFT) }));
    expect(match.rules.result).toEqual({ winner: 0, loser: 1, reason: "eightBallInCalledPocket" });
  });

  it("the 8 in another pocket than the one called loses", () => {
    const eight = { id: 8, x: 0.8, y: 0.3 };
    const cue = behind(eight, FOOT_LEFT);
    const match = midGame([cue, eight, { id: 9, x: -0.6, y: -0.4 }]);
    play(match, 0, aim(cue, eight, 2.5, { calledPocket: rulesPocketOf(FOOT_RIGHT) }));
    expect(match.rules.result).toEqual({ winner: 1, loser: 0, reason: "eightBallInUncalledPocket" });
  });

  it("the 8 pocketed while the shooter's group is still up loses", () => {
    const eight = { id: 8, x: 0.8, y: 0.3 };
    const cue = behind(eight, FOOT_LEFT);
    const match = midGame([cue, eight, { id: 2, x: -0.6, y: -0.4 }, { id: 9, x: -0.6, y: 0.4 }]);
    // The shooter (solids, the 2 still up) plays the 8 first: a foul and an early 8.
    play(match, 0, aim(cue, eight, 2.5));
    expect(match.rules.result).toEqual({ winner: 1, loser: 0, reason: "eightBallPocketedEarly" });
  });

  it("a scratch on the shot that pockets the 8 loses", () => {
    // A dead straight shot with full follow: the cue ball rolls on after the 8 into the same pocket.
    const eight = { id: 8, x: 1.0, y: 0.38 };
    const cue = behind(eight, FOOT_LEFT, 0.3);
    const match = midGame([cue, eight, { id: 9, x: -0.6, y: -0.4 }]);
    const { summary } = play(match, 0, aim(cue, eight, 4, { vertical: 0.5, calledPocket: rulesPocketOf(FOOT_LEFT) }));
    expect(summary.cueBallPocketed).toBe(true);
    expect(summary.pocketed.map((p) => p.ball)).toEqual([8]);
    expect(match.rules.result).toEqual({ winner: 1, loser: 0, reason: "eightBallPocketedOnFoul" });
  });

  it("a shot-clock timeout is ruled as a shot that touched nothing: the opponent gets ball in hand anywhere", () => {
    const cue = { id: 0, x: -0.5, y: 0 };
    const match = midGame([cue, { id: 4, x: 0.5, y: 0.4 }, { id: 14, x: 0.8, y: -0.4 }, { id: 8, x: -0.9, y: -0.3 }]);
    const before = JSON.stringify(match.balls);
    const { outcome } = match.timeout(0);
    expect(outcome.fouls).toEqual(["noContact"]);
    expect(match.rules.shooter).toBe(1);
    expect(match.rules.ballInHand).toBe("anywhere");
    expect(JSON.stringify(match.balls)).toBe(before);
  });

  it("an illegal break that also scratched, accepted by the opponent, gives ball in hand behind the head string", () => {
    const match = new PoolMatch("9ft", SEEDS);
    const breaker = match.rules.shooter;
    // From the kitchen straight into the head-right corner: nothing else is touched.
    const place = { x: g.head_string_x_m - 0.3, y: -0.3 };
    play(match, breaker, aim(place, pocket(0), 2, { cueBall: place }));
    expect(match.rules.pendingDecision?.reason).toBe("illegalBreak");
    const chooser = match.rules.shooter;
    expect(chooser).not.toBe(breaker);
    // Only the chooser may decide; a shot before the decision is refused.
    expect(refusal(() => match.decide(breaker, { kind: "acceptTable" }))).toBe("NOT_YOUR_DECISION");
    expect(refusal(() => match.prepareShot(chooser, aim(place, { x: 0, y: 0 }, 1)))).toBe("DECISION_PENDING");
    match.decide(chooser, { kind: "acceptTable" });
    expect(match.rules.ballInHand).toBe("behindHeadString");
    const shot = aim({ x: 0, y: 0 }, { x: 1, y: 0 }, 1, { cueBall: { x: 0, y: 0 } });
    expect(refusal(() => match.prepareShot(chooser, shot))).toBe("NOT_BEHIND_HEAD_STRING");
  });

  it("shots out of range are refused with their own codes and change nothing", () => {
    const cue = { id: 0, x: -0.5, y: 0 };
    const match = midGame([cue, { id: 4, x: 0.5, y: 0.4 }, { id: 14, x: 0.8, y: -0.4 }, { id: 8, x: -0.9, y: -0.3 }]);
    const before = JSON.stringify({ rules: match.rules, balls: match.balls });
    const ok = aim(cue, { x: 0.5, y: 0.4 }, 2);
    expect(refusal(() => match.prepareShot(1, ok))).toBe("NOT_YOUR_TURN");
    expect(refusal(() => match.prepareShot(0, { ...ok, speed: 13.6 }))).toBe("SPEED_TOO_HIGH");
    expect(refusal(() => match.prepareShot(0, { ...ok, speed: 0 }))).toBe("SPEED_TOO_LOW");
    expect(refusal(() => match.prepareShot(0, { ...ok, speed: Number.NaN }))).toBe("NOT_FINITE");
    expect(refusal(() => match.prepareShot(0, { ...ok, directionRad: Number.POSITIVE_INFINITY }))).toBe("NOT_FINITE");
    expect(refusal(() => match.prepareShot(0, { ...ok, side: 0.4, vertical: 0.4 }))).toBe("MISCUE");
    expect(refusal(() => match.prepareShot(0, { ...ok, elevationDeg: 5 }))).toBe("ELEVATION_NOT_SUPPORTED");
    expect(refusal(() => match.prepareShot(0, { ...ok, cueBall: { x: 0, y: 0 } }))).toBe("NOT_IN_HAND");
    expect(JSON.stringify({ rules: match.rules, balls: match.balls })).toBe(before);
  });

  /**
   * A break from the kitchen along a 28° line into the foot-right corner, with `ball` moved from the rack to 0.3 m
   * short of the pocket on that line: the rest of the rack stays, so the break's other rules apply in full.
   */
  function cornerBreak(ball: number, speed: number, vertical: number) {
    const match = new PoolMatch("9ft", SEEDS);
    const mouth = { x: 1.229, y: -0.594 };
    const u = { x: Math.cos((28 * Math.PI) / 180), y: -Math.sin((28 * Math.PI) / 180) };
    const t = (mouth.x - (g.head_string_x_m - 0.1)) / u.x;
    const cue = { x: mouth.x - u.x * t, y: mouth.y - u.y * t };
    match.balls = [
      ...match.balls.filter((b) => b.id !== ball),
      { id: ball, x: mouth.x - u.x * 0.3, y: mouth.y - u.y * 0.3 },
    ];
    const breaker = match.rules.shooter;
    const ruled = play(match, breaker, aim(cue, mouth, speed, { vertical, cueBall: cue }));
    return { match, breaker, ...ruled };
  }

  it("a scratch on a legal break (a ball down) gives the opponent ball in hand behind the head string", () => {
    const { match, breaker, summary, outcome } = cornerBreak(5, 4, 0.3);
    expect(summary.pocketed).toEqual([{ ball: 5, pocket: rulesPocketOf(FOOT_RIGHT) }]);
    expect(summary.cueBallPocketed).toBe(true);
    expect(outcome.fouls).toEqual(["cueBallPocketed"]);
    expect(match.rules.phase).toBe("openTable");
    expect(match.rules.shooter).not.toBe(breaker);
    expect(match.rules.ballInHand).toBe("behindHeadString");
  });

  it("the 8 pocketed on a clean break leaves the breaker the choice; accepting re-spots it next to the foot spot", () => {
    const { match, breaker, summary } = cornerBreak(8, 5, -0.3);
    expect(summary.pocketed.map((p) => p.ball)).toEqual([8]);
    expect(summary.cueBallPocketed).toBe(false);
    expect(match.rules.pendingDecision?.reason).toBe("eightBallOnBreak");
    expect(match.rules.shooter).toBe(breaker);
    match.decide(breaker, { kind: "acceptTable" });
    const eight = match.balls.find((b) => b.id === 8)!;
    // The 8 goes back on the long string, as near the foot spot as the balls around it allow, touching none.
    expect(eight.y).toBe(0);
    expect(Math.abs(eight.x - g.foot_spot_x_m)).toBeLessThan(0.3);
    for (const other of match.balls.filter((b) => b.id !== 8)) {
      expect(Math.hypot(other.x - eight.x, other.y - eight.y)).toBeGreaterThanOrEqual(2 * R);
    }
    expect(match.rules.shooter).toBe(breaker);
    expect(match.rules.phase).toBe("openTable");
  });

  it("the 8 pocketed on a break that scratched gives the opponent the choice, and a re-rack is broken by them", () => {
    const { match, breaker, summary } = cornerBreak(8, 4, 0);
    expect(summary.cueBallPocketed).toBe(true);
    expect(match.rules.pendingDecision?.reason).toBe("eightBallOnBreakWithFoul");
    const chooser = match.rules.shooter;
    expect(chooser).not.toBe(breaker);
    match.decide(chooser, { kind: "rerack", breaker: chooser });
    expect(match.rules.phase).toBe("break");
    expect(match.rules.rack).toBe(2);
    expect(match.balls.length).toBe(15);
    expect(match.cueBall()).toBeUndefined();
  });
});
