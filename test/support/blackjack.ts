import type { Room } from "@colyseus/sdk";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import { stateWhere } from "./wait.ts";

type Table = Synced<BlackjackStateView>;
/** How many hands in a row may settle at the deal before a test gives up on seeing a round wait on the player. */
const MAX_ROUNDS = 10;

/**
 * Bets `amountMinor` until a dealt round waits on the player, holding the stake. A hand dealt a blackjack (the
 * player's or the dealer's) settles at the deal and holds nothing, so such a round is bet again. `beforeBet` runs
 * before each bet (to read a balance the bet should lower). Resolves with the rounds bet, the last one still in play.
 */
export async function betUntilRoundWaits(
  table: Room<unknown, Table>,
  amountMinor: number,
  beforeBet: () => void | Promise<void> = () => {},
): Promise<number> {
  for (let rounds = 1; rounds <= MAX_ROUNDS; rounds++) {
    await stateWhere(table, (t) => t.phase === "betting", "the table to take bets", 15_000);
    await beforeBet();
    table.send("bet", { amountMinor });
    const dealt = await stateWhere(table, (t) => t.phase !== "betting", "the deal", 15_000);
    if (dealt.phase !== "settled") return rounds;
  }
  throw new Error(`${MAX_ROUNDS} hands in a row settled at the deal`);
}
