import { describe, expect, it } from "vitest";
import {
  applyAction,
  type BlackjackAction,
  type BlackjackState,
  createFairShoe,
  createTable,
  isShoeFinished,
  legalActions,
  publicView,
  RULE_PRESETS,
  type RulePresetName,
  stakeRequired,
} from "../../../simulation/blackjack/index.ts";
import { FairNumberStream, uniformInt } from "../../../simulation/rng/index.ts";

const SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
const ALL_TYPES = ["bet", "cancelBet", "insurance", "declineInsurance", "hit", "stand", "double", "split", "surrender"];

/** Random but legal-heavy play on every preset: the properties a room relies on hold for every action. */
describe("engine invariants under random play", () => {
  for (const preset of Object.keys(RULE_PRESETS) as RulePresetName[]) {
    it(`keeps money, cards and hidden information straight (${preset})`, () => {
      const random = new FairNumberStream({ serverSeed: SEED, clientSeed: `fuzz-${preset}`, nonce: 0 });
      const pick = <T>(items: readonly T[]): T => items[uniformInt(random, items.length)];
      const rules = RULE_PRESETS[preset];
      let nonce = 0;
      const newShoe = () =>
        createFairShoe({ serverSeed: SEED, clientSeed: "fuzz", nonce: nonce++ }, rules.decks, rules.penetration);
      let state: BlackjackState = createTable(rules, newShoe());

      for (let round = 0; round < 150; round++) {
        if (isShoeFinished(state)) {
          const reloaded = applyAction(state, { type: "newShoe", shoe: newShoe() });
          if (!reloaded.ok) throw new Error(reloaded.error.message);
          state = reloaded.state;
        }
        const staked = new Map<number, bigint>();
        const seats = [0, 1, 2, 3, 4, 5, 6].filter(() => uniformInt(random, 3) === 0);
        if (seats.length === 0) seats.push(pick([0, 3, 6]));
        const dealt: number[] = [];
        const startPosition = state.shoe.position;

        const act = (action: BlackjackAction) => {
          const before = structuredClone(state);
          const required = stakeRequired(state, action);
          const result = applyAction(state, action);
          expect(state).toEqual(before); // never mutated, whatever the outcome
          if (!result.ok) return false;
          if ("seat" in action) staked.set(action.seat, (staked.get(action.seat) ?? 0n) + required);
          for (const event of result.events) if (event.type === "cardDealt") dealt.push(event.card);
          state = result.state;
          const view = publicView(state);
          if (state.dealer.holeHidden) {
            expect(view.dealer.cards).toEqual([state.dealer.cards[0]]);
            expect(view.dealer.hiddenCards).toBe(1);
          }
          // the shoe appears only as counts and public sources, never as an order
          expect(Object.keys(view.shoe).sort()).toEqual([
            "cutCardReached",
            "dealt",
            "remaining",
            "sources",
            "totalCards",
          ]);
          return true;
        };

        for (const seat of seats) {
          const amount = rules.minBet + BigInt(uniformInt(random, 20)) * rules.minBet;
          expect(act({ type: "bet", seat, amount: amount > rules.maxBet ? rules.maxBet : amount })).toBe(true);
        }
        expect(act({ type: "deal" })).toBe(true);
        for (let steps = 0; state.phase !== "settled"; steps++) {
          expect(steps).toBeLessThan(200);
          const seat =
            state.phase === "insurance" ? state.seats.findIndex((s) => s?.insurance === "pending") : state.turn!.seat;
          if (uniformInt(random, 5) === 0) {
            // an arbitrary action by an arbitrary seat: either legal or refused with the state untouched
            act({ type: pick(ALL_TYPES), seat: uniformInt(random, 7), amount: 100n } as BlackjackAction);
            continue;
          }
          const legal = legalActions(state, seat).filter((a) => a !== "bet" && a !== "cancelBet");
          expect(legal.length).toBeGreaterThan(0);
          expect(act({ type: pick(legal), seat } as BlackjackAction)).toBe(true);
        }

        // money: what the room escrowed action by action is what settlement says was staked
        for (const seatResult of state.result!.seats) {
          expect(seatResult.totalStaked).toBe(staked.get(seatResult.seat));
          expect(seatResult.net).toBe(seatResult.totalReturned - seatResult.totalStaked);
          expect(seatResult.totalReturned).toBeGreaterThanOrEqual(0n);
          expect(seatResult.totalReturned).toBeLessThanOrEqual(seatResult.totalStaked * 3n); // 3:2 on a natural, 2:1 insurance
        }
        // cards: dealt from the top of the shoe, in order, and every card on the table came that way
        expect(dealt).toEqual(state.shoe.cards.slice(startPosition, state.shoe.position));
        const onTable = [
          ...state.result!.dealerCards,
          ...state.result!.seats.flatMap((s) => s.hands.flatMap((h) => h.cards)),
        ];
        expect([...onTable].sort()).toEqual([...dealt].sort());
        expect(act({ type: "nextRound" })).toBe(true);
      }
    });
  }
});
