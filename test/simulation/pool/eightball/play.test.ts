// WPA 3.4 open table, 3.5 continuing play, 3.7 spotting and 3.9 standard fouls after the break.

import { describe, expect, it } from "vitest";
import { applyShot, OBJECT_BALLS } from "../../../../simulation/pool/eightball/index.ts";
import { accepted, hit, position, shot } from "./craft.ts";

const everyBall = [...OBJECT_BALLS];
const open = () => position({ shooter: 0, groups: null, onTable: everyBall });
/** Player 0 on solids, player 1 on stripes, every ball still up. */
const assigned = () => position({ shooter: 0, groups: ["solids", "stripes"], onTable: everyBall });

describe("WPA 3.4 open table and choosing groups", () => {
  it("on an open table the 8 may not be hit first: a foul, ball in hand anywhere for the opponent", () => {
    const { state, outcome } = accepted(applyShot(open(), hit(8)));
    expect(outcome.fouls).toEqual(["wrongBallFirst"]);
    expect(outcome.nextShooter).toBe(1);
    expect(state.ballInHand).toBe("anywhere");
    expect(state.groups).toBeNull();
  });

  it("on an open table a solid may be hit first to pocket a stripe; the stripe decides the groups and the shooter stays", () => {
    const { state, outcome } = accepted(applyShot(open(), hit(2, { pocketed: [{ ball: 11, pocket: 3 }] })));
    expect(outcome.fouls).toEqual([]);
    expect(outcome.groupsAssigned).toEqual(["stripes", "solids"]);
    expect(outcome.turnContinues).toBe(true);
    expect(state).toMatchObject({ phase: "groupsAssigned", shooter: 0, groups: ["stripes", "solids"] });
  });

  it("the groups follow the shooter's seat: player 1 pocketing a solid takes solids", () => {
    const start = position({ shooter: 1, groups: null, onTable: everyBall });
    const { state } = accepted(applyShot(start, hit(4, { pocketed: [{ ball: 4, pocket: 2 }] })));
    expect(state.groups).toEqual(["stripes", "solids"]);
  });

  it("with balls of both groups pocketed on one legal shot, the first to drop stands for the called ball", () => {
    const pocketed = [
      { ball: 13, pocket: 1 as const },
      { ball: 6, pocket: 5 as const },
    ];
    const { outcome } = accepted(applyShot(open(), hit(6, { pocketed })));
    expect(outcome.groupsAssigned).toEqual(["stripes", "solids"]);
    expect(outcome.turnContinues).toBe(true);
  });

  it("a legal shot that pockets nothing leaves the table open and passes the turn, cue ball where it lies", () => {
    const { state, outcome } = accepted(applyShot(open(), hit(5)));
    expect(outcome.legal).toBe(true);
    expect(outcome.nextShooter).toBe(1);
    expect(state).toMatchObject({ phase: "openTable", groups: null, ballInHand: null });
  });

  it("a ball pocketed on a foul decides nothing and stays down", () => {
    const { state, outcome } = accepted(
      applyShot(open(), hit(3, { pocketed: [{ ball: 3, pocket: 0 }], cueBallPocketed: true })),
    );
    expect(outcome.groupsAssigned).toBeNull();
    expect(state.groups).toBeNull();
    expect(state.ballsOnTable).not.toContain(3);
    expect(state.ballInHand).toBe("anywhere");
  });
});

describe("WPA 3.5 continuing play", () => {
  it("legally pocketing one of your own balls keeps you at the table", () => {
    const { state, outcome } = accepted(applyShot(assigned(), hit(1, { pocketed: [{ ball: 1, pocket: 2 }] })));
    expect(outcome.turnContinues).toBe(true);
    expect(state.shooter).toBe(0);
    expect(state.ballInHand).toBeNull();
  });

  it("an opponent's ball pocketed alongside your own stays down and you play on", () => {
    const pocketed = [
      { ball: 10, pocket: 2 as const },
      { ball: 1, pocket: 3 as const },
    ];
    const { state, outcome } = accepted(applyShot(assigned(), hit(1, { pocketed })));
    expect(outcome.turnContinues).toBe(true);
    expect(state.ballsOnTable).not.toContain(10);
    expect(state.ballsOnTable).not.toContain(1);
  });

  it("pocketing only the opponent's ball is no foul, but the turn passes with the cue ball where it lies", () => {
    const { state, outcome } = accepted(applyShot(assigned(), hit(1, { pocketed: [{ ball: 9, pocket: 0 }] })));
    expect(outcome.fouls).toEqual([]);
    expect(outcome.turnContinues).toBe(false);
    expect(state).toMatchObject({ shooter: 1, ballInHand: null });
    expect(state.ballsOnTable).not.toContain(9);
  });
});

describe("WPA 3.9 standard fouls: the opponent gets the cue ball in hand anywhere", () => {
  const fouled = (summary: Parameters<typeof applyShot>[1]) => {
    const { state, outcome } = accepted(applyShot(assigned(), summary));
    expect(outcome.legal).toBe(false);
    expect(outcome.turnContinues).toBe(false);
    expect(outcome.nextShooter).toBe(1);
    expect(state.shooter).toBe(1);
    expect(state.ballInHand).toBe("anywhere");
    return { state, outcome };
  };

  it("6.1 scratch: the cue ball pocketed, even with one of your own balls", () => {
    const { state, outcome } = fouled(hit(2, { pocketed: [{ ball: 2, pocket: 1 }], cueBallPocketed: true }));
    expect(outcome.fouls).toEqual(["cueBallPocketed"]);
    expect(state.ballsOnTable).not.toContain(2); // balls pocketed on a foul stay pocketed
  });

  it("6.1: the cue ball driven off the table", () => {
    expect(fouled(hit(2, { offTable: [0] })).outcome.fouls).toEqual(["cueBallOffTable"]);
  });

  it("6.2: the cue ball touching no object ball", () => {
    expect(fouled(shot({ cushionAfterFirstContact: false })).outcome.fouls).toEqual(["noContact"]);
  });

  it("6.2 / 3.9: first contact with the opponent's group", () => {
    expect(fouled(hit(12, { pocketed: [{ ball: 3, pocket: 2 }] })).outcome.fouls).toEqual(["wrongBallFirst"]);
  });

  it("6.2 / 3.9: first contact with the 8 while your group is still up", () => {
    expect(fouled(hit(8)).outcome.fouls).toEqual(["wrongBallFirst"]);
  });

  it("6.3: nothing pocketed and no ball to a cushion after contact", () => {
    expect(fouled(shot({ firstContact: 4, cushionAfterFirstContact: false })).outcome.fouls).toEqual([
      "noRailAfterContact",
    ]);
  });

  it("6.3: a pocketed ball satisfies the rail requirement", () => {
    const summary = shot({ firstContact: 4, cushionAfterFirstContact: false, pocketed: [{ ball: 4, pocket: 0 }] });
    expect(accepted(applyShot(assigned(), summary)).outcome.fouls).toEqual([]);
  });

  it("6.5 / 3.7: an object ball driven off the table is a foul and is not spotted", () => {
    const { state, outcome } = fouled(hit(3, { offTable: [14] }));
    expect(outcome.fouls).toEqual(["objectBallOffTable"]);
    expect(outcome.offTableNotSpotted).toEqual([14]);
    expect(state.ballsDown).toContainEqual({ ball: 14, where: "offTable" });
    expect(state.ballsOnTable).not.toContain(14);
  });

  it("several fouls on one shot are all reported, in rule order", () => {
    const summary = shot({ firstContact: 11, cueBallPocketed: true, offTable: [5] });
    expect(fouled(summary).outcome.fouls).toEqual([
      "cueBallPocketed",
      "wrongBallFirst",
      "noRailAfterContact",
      "objectBallOffTable",
    ]);
  });

  it("the ball in hand lasts one shot: a legal shot after it leaves the cue ball where it lies", () => {
    const { state } = fouled(hit(12, { pocketed: [] }));
    const next = accepted(applyShot(state, hit(9)));
    expect(next.state.ballInHand).toBeNull();
  });
});
