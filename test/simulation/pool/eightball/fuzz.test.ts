// Random shot summaries and decisions, valid and not: the engine never throws, never names two winners,
// refuses without changing anything, and every state it returns keeps its invariants.

import { describe, expect, it } from "vitest";
import {
  applyDecision,
  applyShot,
  checkStateInvariants,
  createEightBallGame,
  type Decision,
  EIGHT_BALL,
  type EightBallState,
  type GameResult,
  isShooterOnEight,
  OBJECT_BALLS,
  type PlayerId,
  type PocketId,
  type ShotSummary,
  validateShotIntent,
} from "../../../../simulation/pool/eightball/index.ts";
import { seededUniform } from "../../../../simulation/rng/index.ts";

/** Draws from a seeded generator, so a failure replays from its seed. */
function generator(seed: number) {
  const next = seededUniform(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    chance: (p: number) => next() < p,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    subset: <T>(items: readonly T[], p: number): T[] => items.filter(() => next() < p),
  };
}
type Random = ReturnType<typeof generator>;

const pocket = (r: Random) => r.int(6) as PocketId;

/** A summary the physics could produce from this table: only balls on it, each gone at most once. */
function plausibleSummary(r: Random, state: EightBallState): ShotSummary {
  const onTable = state.ballsOnTable;
  const onEight = isShooterOnEight(state);
  // The 8 rarely drops before its time, so that walks reach groups, cleared groups and shots at the 8.
  const dropChance = (ball: number) => (ball !== EIGHT_BALL ? 0.12 : onEight ? 0.4 : 0.01);
  const pocketed = onTable.filter((ball) => r.chance(dropChance(ball))).map((ball) => ({ ball, pocket: pocket(r) }));
  const stillUp = onTable.filter((ball) => !pocketed.some((p) => p.ball === ball));
  const cueBallPocketed = r.chance(0.1);
  const offTable: number[] = r.chance(0.03) ? [r.pick(stillUp.length > 0 ? stillUp : [0])] : [];
  if (!cueBallPocketed && r.chance(0.03)) offTable.push(0);
  return {
    intent: { calledPocket: onEight || r.chance(0.2) ? pocket(r) : null },
    firstContact: r.chance(0.9) && onTable.length > 0 ? r.pick(onTable) : null,
    pocketed,
    cueBallPocketed,
    cushionAfterFirstContact: r.chance(0.8),
    objectBallsToCushion: r.subset(onTable, state.phase === "break" ? 0.3 : 0.15),
    offTable,
    ...(r.chance(0.1) ? { firstContactBehindHeadString: r.chance(0.5) } : {}),
  };
}

/** Something that is not a summary of this table: wrong types, balls already down, duplicates, out of range. */
function garbageSummary(r: Random, state: EightBallState): unknown {
  const base = plausibleSummary(r, state);
  return r.pick<unknown>([
    null,
    42,
    {},
    { ...base, intent: null },
    { ...base, intent: { calledPocket: 7 } },
    { ...base, firstContact: r.pick([0, 16, 3.5, "8", -1]) },
    {
      ...base,
      pocketed: [
        { ball: r.pick(OBJECT_BALLS), pocket: r.pick([0, 6, -1, 2.5]) },
        { ball: 99, pocket: 0 },
      ],
    },
    { ...base, pocketed: [...base.pocketed, ...base.pocketed, { ball: 1, pocket: 0 }] },
    { ...base, offTable: [r.pick([0, 8, 15, 16, "x"]), 0] },
    { ...base, cueBallPocketed: "yes" },
    { ...base, objectBallsToCushion: "all" },
    { ...base, pocketed: new Array(40).fill({ ball: 1, pocket: 0 }) },
    { ...base, firstContactBehindHeadString: 1 },
  ]);
}

function randomDecision(r: Random, state: EightBallState): [unknown, unknown] {
  const pending = state.pendingDecision;
  if (pending === null || r.chance(0.1)) {
    return [r.pick([0, 1, 2]), r.pick<unknown>([{ kind: "rerack", breaker: r.int(3) }, { kind: "pass" }, null])];
  }
  const decision: Decision = r.chance(0.5)
    ? { kind: "acceptTable" }
    : { kind: "rerack", breaker: r.pick(pending.rerackBreakers) };
  return [pending.chooser, decision];
}

describe("fuzz: random summaries over whole games", () => {
  it("never throws, never names two winners, and leaves every state consistent", () => {
    const GAMES = 400;
    const MAX_STEPS = 400;
    const TRIES_AFTER_END = 20; // every one of them must be refused
    let finished = 0;
    let refused = 0;
    let accepted = 0;
    for (let seed = 1; seed <= GAMES; seed++) {
      const r = generator(seed);
      let state = createEightBallGame({ breaker: (seed % 2) as PlayerId });
      let result: GameResult | null = null;
      let triesAfterEnd = 0;
      for (let step = 0; step < MAX_STEPS && triesAfterEnd < TRIES_AFTER_END; step++) {
        if (result) triesAfterEnd++;
        const before = structuredClone(state);
        let ruling: { ok: true; state: EightBallState } | { ok: false };
        if (state.phase === "awaitingDecision" || r.chance(0.03)) {
          const [player, decision] = randomDecision(r, state);
          ruling = applyDecision(state, player as PlayerId, decision as Decision);
        } else {
          const player = r.chance(0.05) ? r.pick([0, 1, 2]) : state.shooter;
          const summary = r.chance(0.1) ? garbageSummary(r, state) : plausibleSummary(r, state);
          const intentError = validateShotIntent(state, player, (summary as ShotSummary | null)?.intent);
          ruling = intentError ? { ok: false } : applyShot(state, summary as ShotSummary);
        }
        if (!ruling.ok) {
          if (!result) refused++;
          expect(state, `seed ${seed} step ${step}: a refusal changed the state`).toEqual(before);
          continue;
        }
        accepted++;
        expect(result, `seed ${seed} step ${step}: play went on after the game ended`).toBeNull();
        state = ruling.state;
        expect(checkStateInvariants(state), `seed ${seed} step ${step}`).toEqual([]);
        expect([0, 1]).toContain(state.shooter);
        if (state.result) {
          result = state.result;
          expect(result.winner).not.toBe(result.loser);
          finished++;
        }
      }
    }
    // The walk must really play games, not bounce off refusals.
    expect(finished).toBeGreaterThan(GAMES / 2);
    expect(accepted).toBeGreaterThan(refused);
  });
});
