import { expect } from "vitest";
import { type Card, cardToString } from "../../../simulation/cards/index.ts";
import {
  applyDrawsAction,
  createDrawsMatch,
  type DrawsAction,
  type DrawsActionResult,
  type DrawsConfig,
  type DrawsState,
  drawsConfig,
} from "../../../simulation/draws/index.ts";
import { createSeedState, type FairSeeds, recomputeDraw, type SeedState } from "../../../simulation/rng/index.ts";

// SHA-256 of "1" and of "2": any 64-hex text would do.
export const SERVER_SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
export const OTHER_SERVER_SEED = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f64d0ad33f21b2c7ee0";
export const CLIENT_SEED = "draws-test";
export const STAKE = 1_000n;

/** Ace high, written independently of the engine: index in this string is the card's strength. */
const HIGH_CARD_ORDER = "23456789TJQKA";

export function strength(card: Card): number {
  return HIGH_CARD_ORDER.indexOf(cardToString(card)[0]);
}

/** What the rules say: seat 0 holds card 0 and seat 1 card 1 of `recomputeDraw(seeds, 2, 1)`. */
export function publishedCards(nonce: number, serverSeed = SERVER_SEED, clientSeed = CLIENT_SEED): [Card, Card] {
  const seeds: FairSeeds = { serverSeed, clientSeed, nonce };
  const [a, b] = recomputeDraw(seeds, 2, 1);
  return [a, b];
}

export function isTie(cards: [Card, Card]): boolean {
  return strength(cards[0]) === strength(cards[1]);
}

/** The first nonce from `from` where `matches(nonce)` holds; fails the test after `limit` tries. */
export function searchNonce(matches: (nonce: number) => boolean, from = 0, limit = 1_000_000): number {
  for (let nonce = from; nonce < from + limit; nonce++) if (matches(nonce)) return nonce;
  throw new Error(`no nonce found in ${from}..${from + limit - 1}`);
}

export function seedsAt(nonce: number, serverSeed = SERVER_SEED, clientSeed = CLIENT_SEED): SeedState {
  return { ...createSeedState(serverSeed, clientSeed), nonce };
}

export function newMatch(nonce = 0, overrides: Partial<DrawsConfig> = {}): DrawsState {
  return createDrawsMatch(drawsConfig(overrides), seedsAt(nonce));
}

export function ok(state: DrawsState, action: DrawsAction): DrawsState {
  return okResult(state, action).state;
}

export function okResult(state: DrawsState, action: DrawsAction): Extract<DrawsActionResult, { ok: true }> {
  const result = applyDrawsAction(state, action);
  if (!result.ok) throw new Error(`${action.type} failed: ${result.error.code} ${result.error.message}`);
  return result;
}

export function run(state: DrawsState, ...actions: DrawsAction[]): DrawsState {
  return actions.reduce(ok, state);
}

export function staked(state: DrawsState, stakeMinor = STAKE): DrawsState {
  return run(state, { type: "stake", seat: 0, stakeMinor }, { type: "stake", seat: 1, stakeMinor });
}

/** Both seats draw until the round resolves (seat 0 first, then seat 1, each attempt). */
export function drawToResolution(state: DrawsState, limit = 20): DrawsState {
  let next = state;
  for (let k = 0; k < limit && next.phase === "awaiting_draws"; k++) {
    next = run(next, { type: "draw", seat: 0 }, { type: "draw", seat: 1 });
  }
  expect(next.phase).toBe("resolved");
  return next;
}

export function expectRejected(state: DrawsState, action: DrawsAction, code: string): void {
  const before = structuredClone(state);
  const result = applyDrawsAction(state, action);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
  expect(state).toEqual(before);
}
