import { services } from "../src/services.ts";
import { WalletError } from "../src/wallet/errors.ts";
import type { CloseResult, Payout, RoundOutcome } from "../src/wallet/wallet.ts";
import { IntentRejected } from "./intents.ts";

/**
 * A room's view of the wallet: rounds it opens are leased to this node while they run, stakes that fail come back
 * as refusals the player can read, and closing a round records the outcome before paying it, so a crash between
 * the two is settled (not refunded) by recovery.
 */
export class RoundLedger {
  readonly game: string;

  constructor(game: string) {
    this.game = game;
  }

  async open(roundId: string, kind: "round" | "match" = "round"): Promise<void> {
    const { wallet, leases, nodeId } = services();
    await wallet.openRound({ roundId, game: this.game, kind, ownerNodeId: nodeId });
    leases.track(roundId);
  }

  /** Moves `amountMinor` from the player into the round's escrow; a wallet refusal becomes an IntentRejected. */
  async stake(roundId: string, playerId: string, amountMinor: bigint, key: string): Promise<bigint> {
    try {
      const result = await services().wallet.stake({ key, roundId, playerId, amountMinor });
      return result.balanceMinor;
    } catch (error) {
      if (error instanceof WalletError) throw new IntentRejected(error.code, error.message);
      throw error;
    }
  }

  async settle(roundId: string, outcome: RoundOutcome): Promise<CloseResult> {
    const { wallet, leases } = services();
    const payouts = outcome.payouts.filter((payout) => BigInt(payout.amountMinor) > 0n);
    const recorded = { ...outcome, payouts };
    // Recording and settling share one key: settle pays exactly the outcome recorded under it.
    const key = `${roundId}:settle`;
    await wallet.recordOutcome({ key, roundId, outcome: recorded });
    const closed = await wallet.settle({ key, roundId });
    leases.untrack(roundId);
    return closed;
  }

  /** Returns every stake of an unfinished round. */
  async refund(roundId: string): Promise<CloseResult> {
    const { wallet, leases } = services();
    const closed = await wallet.refund({ key: `${roundId}:refund`, roundId });
    leases.untrack(roundId);
    return closed;
  }
}

/** Sums payouts by player, so a player who won on several hands gets one transfer. */
export function mergePayouts(payouts: readonly { playerId: string; amountMinor: bigint }[]): Payout[] {
  const byPlayer = new Map<string, bigint>();
  for (const { playerId, amountMinor } of payouts) {
    byPlayer.set(playerId, (byPlayer.get(playerId) ?? 0n) + amountMinor);
  }
  return [...byPlayer].map(([playerId, amountMinor]) => ({ playerId, amountMinor }));
}
