import { describe, expect, it } from "vitest";
import { houseEdge, rulesFromPreset, simulateRounds } from "../../../simulation/blackjack/index.ts";

const SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";

describe("house-edge simulation", () => {
  const options = {
    rules: rulesFromPreset("strip-6d-s17-das-ls"),
    rounds: 20_000,
    serverSeed: SEED,
    clientSeed: "sim-test",
  };

  it("is deterministic for given seeds and replaces shoes at the cut card", () => {
    const a = simulateRounds({ ...options, shuffle: "cut-card" });
    expect(simulateRounds({ ...options, shuffle: "cut-card" })).toEqual(a);
    expect(a.rounds).toBe(20_000);
    // 75% of 312 cards at about 5.4 cards a round: a shoe lasts about 43 rounds
    expect(a.shoes).toBeGreaterThan(20_000 / 50);
    expect(a.shoes).toBeLessThan(20_000 / 38);
    const b = simulateRounds({ ...options, shuffle: "every-round" });
    expect(b.shoes).toBe(20_000);
  });

  it("lands near the published edge for these rules (about 0.3%) within its standard error", () => {
    const totals = simulateRounds({ ...options, rounds: 60_000, shuffle: "every-round" });
    const edge = houseEdge(totals);
    // a round's result has a standard deviation of about 1.15 bets (published: about 1.14 to 1.16)
    expect(edge.standardDeviation).toBeGreaterThan(1.1);
    expect(edge.standardDeviation).toBeLessThan(1.2);
    expect(Math.abs(edge.houseEdgePercent - 0.3)).toBeLessThan(4 * edge.standardErrorPercent);
    // doubles and splits put about 13% more than the initial bet at risk
    expect(edge.averageStake).toBeGreaterThan(1.1);
    expect(edge.averageStake).toBeLessThan(1.16);
  });

  it("computes the edge and standard error from the sums", () => {
    const edge = houseEdge({ rounds: 4, sumNet: -2, sumNetSquared: 4, sumStaked: 4, shoes: 1 });
    expect(edge.houseEdgePercent).toBe(50);
    // values -1,-1,-1,1 (sum -2, squares 4): sample variance (4 - 4*0.25)/3 = 1
    expect(edge.standardDeviation).toBe(1);
    expect(edge.standardErrorPercent).toBe(50);
  });
});
