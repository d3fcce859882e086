import { describe, expect, it } from "vitest";
import { type PairingTicket, pairTickets } from "../../matchmaker/pairing.ts";
import { rankRegions } from "../../matchmaker/placement.ts";
import { allowance, parseWideningLine, type WideningCurve } from "../../matchmaker/widening.ts";
import { seededUniform } from "../../simulation/rng/index.ts";

const REGIONS = ["ap", "eu", "us"];
const CURVE: WideningCurve = {
  ratingGap: { start: 1, perSecond: 0.5, max: 12 },
  rttMs: { start: 60, perSecond: 15, max: 250 },
};

function generate(seed: number, n: number, nowMs: number): PairingTicket[] {
  const random = seededUniform(seed);
  return Array.from({ length: n }, (_, i) => {
    const rttsMs: Record<string, number> = {};
    for (const region of REGIONS) if (random() < 0.8) rttsMs[region] = Math.round(random() * 300);
    const queuedAtMs = nowMs - Math.round(random() * 30_000);
    return {
      ticketId: `t${i}`,
      playerId: `p${i}`,
      mu: 25 + (random() - 0.5) * 30,
      queuedAtMs,
      expiresAtMs: queuedAtMs + 120_000,
      order: queuedAtMs,
      rttsMs,
    };
  });
}

function bestRegion(a: PairingTicket, b: PairingTicket, regions: readonly string[]) {
  return rankRegions(regions, [a, b])[0]!;
}

/** Under `first`'s tolerance (the one whose turn it was), could `second` be its opponent? */
function compatible(first: PairingTicket, second: PairingTicket, nowMs: number, regions: readonly string[]): boolean {
  const waited = nowMs - first.queuedAtMs;
  return (
    Math.abs(first.mu - second.mu) <= allowance(CURVE.ratingGap, waited) &&
    bestRegion(first, second, regions).worstRttMs <= allowance(CURVE.rttMs, waited)
  );
}

describe("pairing pass", () => {
  it("pairs each ticket at most once, within the tolerance of the longer-waiting ticket, in the best shared region, and leaves no compatible tickets apart", () => {
    const nowMs = 1_000_000;
    for (let seed = 1; seed <= 60; seed++) {
      const tickets = generate(seed, 120, nowMs);
      // Regions with capacity vary by case: a full region must never be chosen.
      const regions = seed % 3 === 0 ? ["eu", "us"] : REGIONS;
      const pairs = pairTickets(tickets, nowMs, { curve: CURVE, regions, neighboursPerTicket: 1_000 });
      const seen = new Set<string>();
      for (const pair of pairs) {
        for (const t of [pair.a, pair.b]) {
          expect(seen.has(t.ticketId), `seed ${seed}: ${t.ticketId} paired twice`).toBe(false);
          seen.add(t.ticketId);
        }
        const [first, second] = pair.a.order <= pair.b.order ? [pair.a, pair.b] : [pair.b, pair.a];
        expect(compatible(first, second, nowMs, regions), `seed ${seed}: ${first.ticketId}+${second.ticketId}`).toBe(
          true,
        );
        const best = bestRegion(pair.a, pair.b, regions);
        expect(regions).toContain(pair.region);
        expect(pair.worstRttMs, `seed ${seed}`).toBe(best.worstRttMs);
      }
      const unmatched = tickets.filter((t) => !seen.has(t.ticketId)).sort((x, y) => x.order - y.order);
      for (const [i, u] of unmatched.entries()) {
        for (const v of unmatched.slice(i + 1)) {
          expect(compatible(u, v, nowMs, regions), `seed ${seed}: ${u.ticketId} and ${v.ticketId} left apart`).toBe(
            false,
          );
        }
      }
    }
  });

  it("widens with the wait: a gap refused to a new ticket is accepted once it has waited", () => {
    const nowMs = 500_000;
    const make = (id: string, mu: number, waitedMs: number): PairingTicket => ({
      ticketId: id,
      playerId: id,
      mu,
      queuedAtMs: nowMs - waitedMs,
      expiresAtMs: nowMs + 60_000,
      order: nowMs - waitedMs,
      rttsMs: { eu: 40 },
    });
    const options = { curve: CURVE, regions: ["eu"] };
    expect(pairTickets([make("a", 20, 0), make("b", 25, 0)], nowMs, options)).toHaveLength(0);
    // 5 mu apart needs start 1 + 0.5/s × 8 s.
    expect(pairTickets([make("a", 20, 8_000), make("b", 25, 0)], nowMs, options)).toHaveLength(1);
    // Round trips widen the same way: 150 ms needs 60 + 15/s × 6 s.
    const far = (id: string, waitedMs: number): PairingTicket => ({ ...make(id, 25, waitedMs), rttsMs: { eu: 150 } });
    expect(pairTickets([far("a", 0), far("b", 0)], nowMs, options)).toHaveLength(0);
    expect(pairTickets([far("a", 6_000), far("b", 0)], nowMs, options)).toHaveLength(1);
  });

  it("takes the longest-waiting ticket first, and a requeued ticket before everyone", () => {
    const nowMs = 100_000;
    const t = (id: string, order: number, mu: number): PairingTicket => ({
      ticketId: id,
      playerId: id,
      mu,
      queuedAtMs: nowMs - 1_000,
      expiresAtMs: nowMs + 60_000,
      order,
      rttsMs: { eu: 20 },
    });
    // b is nearest to both a and c; whoever comes first in the queue gets b.
    const pairs = pairTickets([t("a", 10, 24), t("b", 20, 25), t("c", -1, 26)], nowMs, {
      curve: CURVE,
      regions: ["eu"],
    });
    expect(pairs).toHaveLength(1);
    expect(new Set([pairs[0]!.a.ticketId, pairs[0]!.b.ticketId])).toEqual(new Set(["c", "b"]));
  });

  it("ranks regions by the worse of the players' round trips, unmeasured last", () => {
    const ranked = rankRegions(
      ["us", "eu", "ap"],
      [{ rttsMs: { eu: 30, us: 90 } }, { rttsMs: { eu: 120, us: 70, ap: 10 } }],
    );
    expect(ranked.map((r) => r.region)).toEqual(["us", "eu", "ap"]);
    expect(ranked[0]!.worstRttMs).toBe(90);
  });

  it("reads a widening line from the environment's start,perSecond,max and refuses nonsense", () => {
    expect(parseWideningLine("2, 0.5, 25")).toEqual({ start: 2, perSecond: 0.5, max: 25 });
    for (const bad of ["", "1,2", "a,b,c", "5,1,4", "-1,1,3", "1,1,1,1"]) {
      expect(() => parseWideningLine(bad), bad).toThrow(RangeError);
    }
  });
});
