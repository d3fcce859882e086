import { describe, expect, it } from "vitest";
import { createDrawsMatch, type DrawsAction, drawsConfig } from "../../../simulation/draws/index.ts";
import { createSeedState, rotateSeeds } from "../../../simulation/rng/index.ts";
import {
  drawToResolution,
  expectRejected,
  newMatch,
  OTHER_SERVER_SEED,
  ok,
  run,
  SERVER_SEED,
  STAKE,
  seedsAt,
  staked,
} from "./helpers.ts";

const fresh = () => newMatch(0, { minStakeMinor: 100n, maxStakeMinor: 10_000n });

describe("bad actions are rejected with a code and leave the state unchanged", () => {
  it("seats other than 0 and 1", () => {
    for (const seat of [2, -1, 0.5, "0", null, undefined]) {
      expectRejected(fresh(), { type: "stake", seat, stakeMinor: STAKE } as unknown as DrawsAction, "BAD_SEAT");
      expectRejected(staked(fresh()), { type: "draw", seat } as unknown as DrawsAction, "BAD_SEAT");
      expectRejected(fresh(), { type: "forfeit", seat } as unknown as DrawsAction, "BAD_SEAT");
    }
  });

  it("unknown or malformed actions", () => {
    expectRejected(fresh(), { type: "shuffle" } as unknown as DrawsAction, "BAD_ACTION");
    expectRejected(fresh(), null as unknown as DrawsAction, "BAD_ACTION");
    expectRejected(fresh(), { type: "stake", seat: 0, stakeMinor: 1000 } as unknown as DrawsAction, "BAD_ACTION");
    expectRejected(staked(fresh()), { type: "draw", seat: 0, auto: "yes" } as unknown as DrawsAction, "BAD_ACTION");
  });

  it("stakes outside min..max, at both ends", () => {
    expectRejected(fresh(), { type: "stake", seat: 0, stakeMinor: 99n }, "STAKE_OUT_OF_RANGE");
    expectRejected(fresh(), { type: "stake", seat: 0, stakeMinor: 10_001n }, "STAKE_OUT_OF_RANGE");
    expectRejected(fresh(), { type: "stake", seat: 0, stakeMinor: -500n }, "STAKE_OUT_OF_RANGE");
    expect(ok(fresh(), { type: "stake", seat: 0, stakeMinor: 100n }).offers).toEqual([100n, null]);
    expect(ok(fresh(), { type: "stake", seat: 1, stakeMinor: 10_000n }).offers).toEqual([null, 10_000n]);
  });

  it("stakes that differ hold nothing; the same stake holds both", () => {
    const offered = ok(fresh(), { type: "stake", seat: 0, stakeMinor: 500n });
    expectRejected(offered, { type: "stake", seat: 1, stakeMinor: 501n }, "STAKES_DIFFER");
    expect(offered.phase).toBe("awaiting_stakes");
    expect(offered.stakeMinor).toBeNull();
    const held = ok(offered, { type: "stake", seat: 1, stakeMinor: 500n });
    expect(held.phase).toBe("awaiting_draws");
    expect(held.stakeMinor).toBe(500n);
  });

  it("staking twice, withdrawing nothing; a withdrawn offer can be replaced", () => {
    const offered = ok(fresh(), { type: "stake", seat: 0, stakeMinor: 500n });
    expectRejected(offered, { type: "stake", seat: 0, stakeMinor: 600n }, "ALREADY_STAKED");
    expectRejected(offered, { type: "withdrawStake", seat: 1 }, "NO_STAKE");
    const changed = run(offered, { type: "withdrawStake", seat: 0 }, { type: "stake", seat: 0, stakeMinor: 600n });
    expect(changed.offers).toEqual([600n, null]);
  });

  it("drawing twice in one attempt", () => {
    const drawn = ok(staked(fresh()), { type: "draw", seat: 0 });
    expectRejected(drawn, { type: "draw", seat: 0 }, "ALREADY_DRAWN");
    expectRejected(drawn, { type: "draw", seat: 0, auto: true }, "ALREADY_DRAWN");
  });

  it("actions in the wrong phase", () => {
    expectRejected(fresh(), { type: "draw", seat: 0 }, "WRONG_PHASE");
    expectRejected(fresh(), { type: "settle" }, "WRONG_PHASE");
    expectRejected(fresh(), { type: "nextRound" }, "WRONG_PHASE");
    const held = staked(fresh());
    expectRejected(held, { type: "stake", seat: 0, stakeMinor: STAKE }, "WRONG_PHASE");
    expectRejected(held, { type: "withdrawStake", seat: 0 }, "WRONG_PHASE");
    expectRejected(held, { type: "settle" }, "WRONG_PHASE");
    const resolved = drawToResolution(held);
    expectRejected(resolved, { type: "draw", seat: 0 }, "WRONG_PHASE");
    expectRejected(resolved, { type: "nextRound" }, "WRONG_PHASE");
    expectRejected(resolved, { type: "stake", seat: 0, stakeMinor: STAKE }, "WRONG_PHASE");
    const settled = ok(resolved, { type: "settle" });
    expectRejected(settled, { type: "settle" }, "WRONG_PHASE");
    expectRejected(settled, { type: "draw", seat: 1 }, "WRONG_PHASE");
  });

  it("seed changes only between rounds and only to a valid seed state", () => {
    const next = rotateSeeds(createSeedState(SERVER_SEED, "draws-test"), OTHER_SERVER_SEED).next;
    expectRejected(staked(fresh()), { type: "useSeeds", seeds: next }, "WRONG_PHASE");
    expectRejected(
      ok(fresh(), { type: "stake", seat: 0, stakeMinor: STAKE }),
      { type: "useSeeds", seeds: next },
      "WRONG_PHASE",
    );
    expectRejected(fresh(), { type: "useSeeds", seeds: { ...next, serverSeedHash: "0".repeat(64) } }, "BAD_SEEDS");
    expectRejected(fresh(), { type: "useSeeds", seeds: { ...next, clientSeed: "a:b" } }, "BAD_SEEDS");
    expectRejected(fresh(), { type: "useSeeds", seeds: { ...next, nonce: -1 } }, "BAD_SEEDS");
    expect(ok(fresh(), { type: "useSeeds", seeds: next }).seeds).toEqual(next);
  });

  it("a bad config or seed state throws at creation", () => {
    expect(() => drawsConfig({ bestOf: 4 })).toThrow(RangeError);
    expect(() => drawsConfig({ minStakeMinor: 0n })).toThrow(RangeError);
    expect(() => drawsConfig({ minStakeMinor: 10n, maxStakeMinor: 9n })).toThrow(RangeError);
    expect(() => drawsConfig({ rakeBps: 10_001 })).toThrow(RangeError);
    expect(() => drawsConfig({ rakeBps: 2.5 })).toThrow(RangeError);
    expect(() => drawsConfig({ rakeCapMinor: -1n })).toThrow(RangeError);
    expect(() => drawsConfig({ maxRedraws: 11 })).toThrow(RangeError);
    expect(() => drawsConfig({ bestOf: 5, maxRounds: 3 })).toThrow(RangeError);
    expect(() => newMatch(0, {})).not.toThrow();
    expect(() => createDrawsMatch(drawsConfig(), { ...seedsAt(0), serverSeed: "xyz" })).toThrow(RangeError);
    expect(() => createDrawsMatch(drawsConfig(), { ...seedsAt(0), serverSeedHash: "0".repeat(64) })).toThrow(
      RangeError,
    );
  });
});

describe("nonce limits", () => {
  it("stakes are not held when the seed has too few nonces left for every redraw", () => {
    const nearEnd = createDrawsMatch(drawsConfig({ maxRedraws: 3 }), seedsAt(Number.MAX_SAFE_INTEGER - 3));
    expectRejected(
      ok(nearEnd, { type: "stake", seat: 0, stakeMinor: STAKE }),
      { type: "stake", seat: 1, stakeMinor: STAKE },
      "BAD_SEEDS",
    );
    const justEnough = createDrawsMatch(drawsConfig({ maxRedraws: 3 }), seedsAt(Number.MAX_SAFE_INTEGER - 4));
    expect(staked(justEnough).phase).toBe("awaiting_draws");
  });
});
