import { describe, expect, it } from "vitest";
import {
  applyExtendingShoe,
  type BlackjackState,
  nextTableStep,
  placeBet,
  roundPayouts,
  stackedShoe,
} from "../../../simulation/blackjack/index.ts";
import { parseCards } from "../../../simulation/cards/index.ts";
import { BET, dealt, ok, run, stackedTable } from "./helpers.ts";

const stand = { type: "stand", seat: 0 } as const;
const here = { present: true };
const gone = { present: false };

describe("a blackjack table's rules", () => {
  it("takes one bet per seat a round", () => {
    const table = stackedTable("Tc 6d 7h Ts 3c");
    const bet = placeBet(table, 0, BET);
    expect(bet.ok).toBe(true);
    const again = placeBet((bet as { state: BlackjackState }).state, 0, BET * 2n);
    expect(again.ok || again.error.code).toBe("ALREADY_BET");
  });

  it("extends a shoe that runs out mid-round and retries; any other refusal draws no new shoe", () => {
    const state = dealt(stackedTable("Tc 6d 6h Ts"));
    let shoes = 0;
    const more = () => {
      shoes += 1;
      return stackedShoe(parseCards("2c 5d"));
    };
    const { table, result } = applyExtendingShoe(state, stand, more);
    expect(shoes).toBe(1);
    expect(result.ok).toBe(true);
    expect(table.shoe.cards.length).toBe(6);
    const refused = applyExtendingShoe(state, { type: "hit", seat: 3 }, more);
    expect(refused.result.ok).toBe(false);
    expect(shoes).toBe(1);
  });

  it("betting: idle with no bets (a closing table closes), the window while someone seated has not bet, else at once", () => {
    const table = stackedTable("Tc 6d 7h Ts 3c");
    expect(nextTableStep(table, [here], false, false)).toEqual({ step: "idle" });
    expect(nextTableStep(table, [here], true, false)).toEqual({ step: "close" });
    const bet = ok(table, { type: "bet", seat: 0, amount: BET });
    expect(nextTableStep(bet, [here, here], false, true)).toEqual({ step: "deal", window: "betting" });
    expect(nextTableStep(bet, [here, null], false, true)).toEqual({ step: "deal", window: "none" });
    expect(nextTableStep(bet, [here, here], true, true)).toEqual({ step: "deal", window: "none" });
  });

  it("a turn waits the action window for a player who is there, and none for one who has left", () => {
    const playing = dealt(stackedTable("Tc 6d 7h Ts 3c"));
    expect(playing.phase).toBe("playerTurns");
    expect(nextTableStep(playing, [here], false, true)).toEqual({ step: "timeout", window: "action" });
    expect(nextTableStep(playing, [gone], false, true)).toEqual({ step: "timeout", window: "none" });
  });

  it("a settled round is paid at once while its money is held, then the next round waits the result window", () => {
    const settled = run(dealt(stackedTable("Tc 6d 7h Ts 3c")), stand);
    expect(settled.phase).toBe("settled");
    expect(nextTableStep(settled, [here], false, true)).toEqual({ step: "settle", window: "none" });
    expect(nextTableStep(settled, [here], false, false)).toEqual({ step: "nextRound", window: "result" });
  });

  it("pays each seat its returns; the house keeps what was lost or covers what was won", () => {
    // Seat 0 stands on 17 against the dealer's 16, who draws 3 to 19: seat 0 loses its bet.
    const lost = run(dealt(stackedTable("Tc 6d 7h Ts 3c")), stand);
    expect(roundPayouts(lost.result!)).toEqual({
      seats: [{ seat: 0, amountMinor: 0n }],
      stakedMinor: BET,
      returnedMinor: 0n,
      houseMinor: BET,
    });
    // Seat 0 stands on 20 against the dealer's 16, who busts with a king: seat 0 is paid even money.
    const won = run(dealt(stackedTable("Tc 6d Th Ts Kc")), stand);
    expect(roundPayouts(won.result!).houseMinor).toBe(-BET);
    expect(roundPayouts(won.result!).seats).toEqual([{ seat: 0, amountMinor: 2n * BET }]);
  });
});
