// WPA 3.3 Break Shot and 3.7 Spotting Balls, each case driven by a crafted summary of the break.

import { describe, expect, it } from "vitest";
import {
  applyDecision,
  applyShot,
  checkStateInvariants,
  createEightBallGame,
  validateShotIntent,
} from "../../../../simulation/pool/eightball/index.ts";
import { accepted, hit } from "./craft.ts";

const rack = () => createEightBallGame({ breaker: 0 });
const fourToRail = [1, 9, 5, 12];

describe("WPA 3.3 break shot", () => {
  it("3.3(a): a game starts with the breaker's cue ball in hand behind the head string", () => {
    const state = rack();
    expect(state.phase).toBe("break");
    expect(state.shooter).toBe(0);
    expect(state.ballInHand).toBe("behindHeadString");
    expect(state.ballsOnTable).toHaveLength(15);
    expect(checkStateInvariants(state)).toEqual([]);
  });

  it("3.3(b): no ball is called and any ball may be hit first on the break", () => {
    const { outcome } = accepted(applyShot(rack(), hit(8, { objectBallsToCushion: fourToRail })));
    expect(outcome.fouls).toEqual([]);
    expect(outcome.legal).toBe(true);
  });

  it("3.3(c): pocketing a ball without a foul keeps the breaker at the table, and the table stays open", () => {
    const { state, outcome } = accepted(applyShot(rack(), hit(1, { pocketed: [{ ball: 3, pocket: 2 }] })));
    expect(outcome.turnContinues).toBe(true);
    expect(outcome.nextShooter).toBe(0);
    expect(outcome.groupsAssigned).toBeNull();
    expect(state.phase).toBe("openTable");
    expect(state.groups).toBeNull();
    expect(state.ballInHand).toBeNull();
    expect(state.ballsOnTable).not.toContain(3);
  });

  it("3.3(d): four object balls to a rail with nothing pocketed is a legal break; the turn passes", () => {
    const { state, outcome } = accepted(applyShot(rack(), hit(1, { objectBallsToCushion: fourToRail })));
    expect(outcome.legal).toBe(true);
    expect(outcome.illegalBreak).toBe(false);
    expect(outcome.nextShooter).toBe(1);
    expect(state.phase).toBe("openTable");
    expect(state.ballInHand).toBeNull();
  });

  describe("3.3(d): an illegal break (nothing pocketed, fewer than four balls to a rail)", () => {
    const illegal = () => accepted(applyShot(rack(), hit(1, { objectBallsToCushion: [1, 9, 5] })));

    it("leaves the choice to the incoming player: accept the table, or re-rack with either player breaking", () => {
      const { state, outcome } = illegal();
      expect(outcome.illegalBreak).toBe(true);
      expect(outcome.legal).toBe(false);
      expect(outcome.fouls).toEqual([]); // an illegal break is not itself a foul
      expect(state.phase).toBe("awaitingDecision");
      expect(state.pendingDecision).toMatchObject({ chooser: 1, reason: "illegalBreak", acceptShooter: 1 });
      expect([...state.pendingDecision!.rerackBreakers].sort()).toEqual([0, 1]);
      expect(validateShotIntent(state, 1, { calledPocket: null })?.code).toBe("decision_pending");
      expect(applyShot(state, hit(2)).ok).toBe(false);
    });

    it("(1) accepting the table: the incoming player shoots with the cue ball where it lies", () => {
      const ruling = applyDecision(illegal().state, 1, { kind: "acceptTable" });
      expect(ruling.ok && ruling.state.phase).toBe("openTable");
      expect(ruling.ok && ruling.outcome.nextShooter).toBe(1);
      expect(ruling.ok && ruling.outcome.ballInHand).toBeNull();
    });

    it("(2) re-racking and breaking: a fresh rack broken by the incoming player", () => {
      const ruling = applyDecision(illegal().state, 1, { kind: "rerack", breaker: 1 });
      if (!ruling.ok) throw new Error(ruling.error.code);
      expect(ruling.outcome.reracked).toBe(true);
      expect(ruling.state).toMatchObject({ phase: "break", rack: 2, breaker: 1, shooter: 1 });
      expect(ruling.state.ballsOnTable).toHaveLength(15);
      expect(ruling.state.ballInHand).toBe("behindHeadString");
    });

    it("(3) re-racking and letting the offending player break again", () => {
      const ruling = applyDecision(illegal().state, 1, { kind: "rerack", breaker: 0 });
      expect(ruling.ok && ruling.state).toMatchObject({ phase: "break", breaker: 0, shooter: 0 });
    });

    it("the breaker has no say", () => {
      const ruling = applyDecision(illegal().state, 0, { kind: "acceptTable" });
      expect(ruling.ok === false && ruling.error.code).toBe("not_your_decision");
    });

    it("accepting an illegal break that also scratched gives the cue ball in hand behind the head string", () => {
      const { state } = accepted(applyShot(rack(), hit(1, { cueBallPocketed: true })));
      const ruling = applyDecision(state, 1, { kind: "acceptTable" });
      expect(ruling.ok && ruling.outcome.ballInHand).toBe("behindHeadString");
    });
  });

  it("3.3(e): the 8 pocketed on a legal break is no foul: the breaker re-spots it and plays on, or re-breaks", () => {
    const { state, outcome } = accepted(applyShot(rack(), hit(1, { pocketed: [{ ball: 8, pocket: 4 }] })));
    expect(outcome.fouls).toEqual([]);
    expect(outcome.gameOver).toBeNull();
    expect(state.pendingDecision).toMatchObject({ chooser: 0, reason: "eightBallOnBreak", rerackBreakers: [0] });

    const spot = applyDecision(state, 0, { kind: "acceptTable" });
    if (!spot.ok) throw new Error(spot.error.code);
    expect(spot.outcome.respotted).toEqual([8]);
    expect(spot.state.ballsOnTable).toContain(8);
    expect(spot.state).toMatchObject({ phase: "openTable", shooter: 0, ballInHand: null });
    expect(checkStateInvariants(spot.state)).toEqual([]);

    const rebreak = applyDecision(state, 0, { kind: "rerack", breaker: 0 });
    expect(rebreak.ok && rebreak.state).toMatchObject({ phase: "break", breaker: 0 });
    const handOver = applyDecision(state, 0, { kind: "rerack", breaker: 1 });
    expect(handOver.ok === false && handOver.error.code).toBe("invalid_decision");
  });

  it("3.3(f): the 8 and a scratch on the break is not a loss: the opponent re-spots it and shoots in hand behind the head string, or re-breaks", () => {
    const { state, outcome } = accepted(
      applyShot(rack(), hit(1, { pocketed: [{ ball: 8, pocket: 1 }], cueBallPocketed: true })),
    );
    expect(outcome.gameOver).toBeNull();
    expect(outcome.fouls).toEqual(["cueBallPocketed"]);
    expect(state.pendingDecision).toMatchObject({
      chooser: 1,
      reason: "eightBallOnBreakWithFoul",
      rerackBreakers: [1],
    });

    const spot = applyDecision(state, 1, { kind: "acceptTable" });
    if (!spot.ok) throw new Error(spot.error.code);
    expect(spot.outcome).toMatchObject({ respotted: [8], nextShooter: 1, ballInHand: "behindHeadString" });

    const rebreak = applyDecision(state, 1, { kind: "rerack", breaker: 1 });
    expect(rebreak.ok && rebreak.state).toMatchObject({ phase: "break", breaker: 1, shooter: 1 });
  });

  it("3.3: a scratch on a legal break gives the incoming player the cue ball in hand behind the head string; pocketed balls stay down", () => {
    const { state, outcome } = accepted(
      applyShot(rack(), hit(1, { pocketed: [{ ball: 2, pocket: 0 }], cueBallPocketed: true })),
    );
    expect(outcome.fouls).toEqual(["cueBallPocketed"]);
    expect(outcome.turnContinues).toBe(false);
    expect(outcome.nextShooter).toBe(1);
    expect(outcome.ballInHand).toBe("behindHeadString");
    expect(state.phase).toBe("openTable");
    expect(state.ballsOnTable).not.toContain(2);
  });

  it("6.11: in hand behind the head string, hitting a ball behind it without first crossing the string is a foul", () => {
    const { state } = accepted(applyShot(rack(), hit(1, { objectBallsToCushion: fourToRail, cueBallPocketed: true })));
    const { outcome } = accepted(applyShot(state, hit(3, { firstContactBehindHeadString: true })));
    expect(outcome.fouls).toEqual(["badPlayFromBehindHeadString"]);
    expect(outcome.ballInHand).toBe("anywhere");
    expect(outcome.nextShooter).toBe(0);
  });

  it("3.7: an object ball driven off the table on the break is a foul and is not spotted", () => {
    const { state, outcome } = accepted(
      applyShot(rack(), hit(1, { objectBallsToCushion: fourToRail, offTable: [12] })),
    );
    expect(outcome.fouls).toEqual(["objectBallOffTable"]);
    expect(outcome.offTableNotSpotted).toEqual([12]);
    expect(outcome.ballInHand).toBe("behindHeadString");
    expect(state.ballsOnTable).not.toContain(12);
    expect(state.ballsDown).toContainEqual({ ball: 12, where: "offTable" });
  });

  it("3.7: the 8 driven off the table on the break is spotted or the balls re-racked, at the opponent's choice", () => {
    const { state, outcome } = accepted(applyShot(rack(), hit(1, { objectBallsToCushion: fourToRail, offTable: [8] })));
    expect(outcome.gameOver).toBeNull();
    expect(state.pendingDecision).toMatchObject({ chooser: 1, reason: "eightBallOnBreakWithFoul" });
    const spot = applyDecision(state, 1, { kind: "acceptTable" });
    expect(spot.ok && spot.state.ballsOnTable).toContain(8);
  });
});
