// WPA 3.5, 3.6 and 3.8: shooting the 8, calling its pocket, winning and losing the rack.

import { describe, expect, it } from "vitest";
import { applyShot, validateShotIntent } from "../../../../simulation/pool/eightball/index.ts";
import { accepted, hit, position, shot } from "./craft.ts";

/** Player 0 owns solids and has cleared them; player 1 still has two stripes up. */
const onTheEight = () => position({ shooter: 0, groups: ["solids", "stripes"], onTable: [8, 10, 14] });
/** Player 0 owns solids with the 3 still up. */
const oneLeft = () => position({ shooter: 0, groups: ["solids", "stripes"], onTable: [3, 8, 10, 14] });
const callCorner = { calledPocket: 2 as const };

describe("WPA 3.6 calling the 8 (validateShotIntent)", () => {
  it("a shooter on the 8 must call a pocket", () => {
    expect(validateShotIntent(onTheEight(), 0, { calledPocket: null })?.code).toBe("called_pocket_required");
    expect(validateShotIntent(onTheEight(), 0, callCorner)).toBeNull();
    expect(applyShot(onTheEight(), hit(8)).ok).toBe(false);
  });

  it("no call is needed while the shooter's group is still up", () => {
    expect(validateShotIntent(oneLeft(), 0, { calledPocket: null })).toBeNull();
  });

  it("only the shooter may shoot", () => {
    expect(validateShotIntent(onTheEight(), 1, callCorner)?.code).toBe("not_your_turn");
    expect(validateShotIntent(onTheEight(), 2, callCorner)?.code).toBe("invalid_player");
  });

  it("a called pocket must be one of the six pockets", () => {
    expect(validateShotIntent(onTheEight(), 0, { calledPocket: 6 })?.code).toBe("invalid_called_pocket");
    expect(validateShotIntent(onTheEight(), 0, { calledPocket: 1.5 })?.code).toBe("invalid_called_pocket");
    expect(validateShotIntent(onTheEight(), 0, null)?.code).toBe("invalid_called_pocket");
  });
});

describe("WPA 3.9: once the group is cleared the 8 must be hit first", () => {
  it("hitting the opponent's ball first is a foul, ball in hand anywhere, and not a loss", () => {
    const { state, outcome } = accepted(applyShot(onTheEight(), hit(10, { intent: callCorner })));
    expect(outcome.fouls).toEqual(["wrongBallFirst"]);
    expect(outcome.gameOver).toBeNull();
    expect(state).toMatchObject({ shooter: 1, ballInHand: "anywhere", phase: "groupsAssigned" });
  });

  it("a scratch while shooting at the 8 without pocketing it is a foul, not a loss", () => {
    const { state, outcome } = accepted(applyShot(onTheEight(), hit(8, { intent: callCorner, cueBallPocketed: true })));
    expect(outcome.gameOver).toBeNull();
    expect(state).toMatchObject({ shooter: 1, ballInHand: "anywhere" });
  });

  it("a legal miss at the 8 passes the turn", () => {
    const { outcome } = accepted(applyShot(onTheEight(), hit(8, { intent: callCorner })));
    expect(outcome).toMatchObject({ legal: true, nextShooter: 1, gameOver: null });
  });
});

describe("WPA 3.5 winning and 3.8 losing the rack", () => {
  it("3.5: the 8 legally pocketed in the called pocket wins", () => {
    const { state, outcome } = accepted(
      applyShot(onTheEight(), hit(8, { intent: callCorner, pocketed: [{ ball: 8, pocket: 2 }] })),
    );
    expect(outcome.gameOver).toEqual({ winner: 0, loser: 1, reason: "eightBallInCalledPocket" });
    expect(state.phase).toBe("gameOver");
    expect(state.result).toEqual(outcome.gameOver);
  });

  it("3.8(a): fouling on the shot that pockets the 8 (a scratch) loses", () => {
    const summary = hit(8, { intent: callCorner, pocketed: [{ ball: 8, pocket: 2 }], cueBallPocketed: true });
    const { outcome } = accepted(applyShot(onTheEight(), summary));
    expect(outcome.gameOver).toEqual({ winner: 1, loser: 0, reason: "eightBallPocketedOnFoul" });
  });

  it("3.8(a): pocketing the 8 after hitting the opponent's ball first loses", () => {
    const summary = hit(10, { intent: callCorner, pocketed: [{ ball: 8, pocket: 2 }] });
    expect(accepted(applyShot(onTheEight(), summary)).outcome.gameOver?.reason).toBe("eightBallPocketedOnFoul");
  });

  it("3.8(b): pocketing the 8 while your group is still up loses", () => {
    const { outcome } = accepted(applyShot(oneLeft(), hit(3, { pocketed: [{ ball: 8, pocket: 0 }] })));
    expect(outcome.gameOver).toEqual({ winner: 1, loser: 0, reason: "eightBallPocketedEarly" });
  });

  it("3.8(b): pocketing the 8 on the same shot as the last ball of your group loses", () => {
    const pocketed = [
      { ball: 3, pocket: 0 as const },
      { ball: 8, pocket: 2 as const },
    ];
    const { outcome } = accepted(applyShot(oneLeft(), hit(3, { intent: callCorner, pocketed })));
    expect(outcome.gameOver?.reason).toBe("eightBallPocketedEarly");
    expect(outcome.gameOver?.winner).toBe(1);
  });

  it("3.8(b): pocketing the 8 on an open table loses", () => {
    const start = position({ shooter: 1, groups: null, onTable: [2, 8, 12] });
    const { outcome } = accepted(applyShot(start, hit(2, { pocketed: [{ ball: 8, pocket: 4 }] })));
    expect(outcome.gameOver).toEqual({ winner: 0, loser: 1, reason: "eightBallPocketedEarly" });
  });

  it("3.8(c): the 8 in a pocket other than the called one loses", () => {
    const summary = hit(8, { intent: callCorner, pocketed: [{ ball: 8, pocket: 5 }] });
    const { outcome } = accepted(applyShot(onTheEight(), summary));
    expect(outcome.gameOver).toEqual({ winner: 1, loser: 0, reason: "eightBallInUncalledPocket" });
  });

  it("3.8(d): driving the 8 off the table loses", () => {
    const { state, outcome } = accepted(applyShot(oneLeft(), hit(3, { offTable: [8] })));
    expect(outcome.gameOver).toEqual({ winner: 1, loser: 0, reason: "eightBallOffTable" });
    expect(state.ballsDown).toContainEqual({ ball: 8, where: "offTable" });
  });

  it("nothing more may be played once the rack is decided", () => {
    const { state } = accepted(applyShot(oneLeft(), hit(3, { offTable: [8] })));
    const again = applyShot(state, shot());
    expect(again.ok === false && again.error.code).toBe("game_over");
    expect(validateShotIntent(state, 1, { calledPocket: null })?.code).toBe("game_over");
  });
});
