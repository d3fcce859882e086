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

  async open(roundId: string, kind: "round" | "match"): Promise<void> {
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

/** A stake a room asks of the player on a seat. */
export interface SeatStake {
  seat: number;
  playerId: string;
  amountMinor: bigint;
}

/** A stake the wallet refused while a round was being opened: the round was refunded whole; `seat` is at fault. */
export class StakeNotHeld extends IntentRejected {
  readonly seat: number;
  constructor(seat: number, refusal: IntentRejected) {
    super(refusal.code, refusal.message);
    this.seat = seat;
  }
}

export interface RoomRoundsSettings {
  /** A table's hand is a `round`; a head-to-head match held over its whole length is a `match`. */
  kind?: "round" | "match";
  /** The id of the room's `opened`th round (from 1); by default `<game>:<roomId>:<opened>`. */
  roundId?: (opened: number) => string;
}

/**
 * The wallet rounds of one room, one at a time: the open round's id, who staked on each seat (they are paid even if
 * they have left since), and the stake keys. A round is opened with its first stakes, takes more while it runs, and
 * is settled or taken back (refunded) whole.
 */
export class RoomRounds {
  readonly ledger: RoundLedger;
  readonly #kind: "round" | "match";
  readonly #roundId: (opened: number) => string;
  #opened = 0;
  #stakes = 0;
  /** The round holding stakes, from its first stake until it is settled or refunded. */
  roundId: string | null = null;
  readonly players = new Map<number, string>();

  constructor(game: string, roomId: string, settings: RoomRoundsSettings = {}) {
    this.ledger = new RoundLedger(game);
    this.#kind = settings.kind ?? "round";
    this.#roundId = settings.roundId ?? ((opened) => `${game}:${roomId}:${opened}`);
  }

  /** The id the next round opened will have. */
  nextRoundId(): string {
    return this.#roundId(this.#opened + 1);
  }

  /** INSUFFICIENT_FUNDS unless the player's balance covers `amountMinor`; nothing is held. */
  async requireFunds(playerId: string, amountMinor: bigint): Promise<void> {
    const { balanceMinor } = await services().wallet.balance(playerId);
    if (balanceMinor < amountMinor) {
      throw new IntentRejected("INSUFFICIENT_FUNDS", `a balance of ${balanceMinor} cannot cover ${amountMinor}`);
    }
  }

  /**
   * Opens the room's next wallet round with `stakes`, taken in order. A refused stake leaves no trace: the round is
   * refunded and the refusal comes back as StakeNotHeld, naming the seat.
   */
  async open(stakes: readonly SeatStake[]): Promise<string> {
    const roundId = this.nextRoundId();
    this.#opened += 1;
    await this.ledger.open(roundId, this.#kind);
    this.roundId = roundId;
    for (const stake of stakes) {
      try {
        await this.add(stake.seat, stake.amountMinor, stake.playerId);
      } catch (error) {
        await this.refund();
        throw error instanceof IntentRejected ? new StakeNotHeld(stake.seat, error) : error;
      }
    }
    return roundId;
  }

  /** More money into the open round from the seat's player (the one who staked first this round, if any). */
  async add(seat: number, amountMinor: bigint, seatedPlayerId?: string): Promise<void> {
    const roundId = this.roundId;
    const playerId = this.players.get(seat) ?? seatedPlayerId;
    if (!roundId || !playerId) throw new Error("a stake needs an open round and a player");
    this.#stakes += 1;
    await this.ledger.stake(roundId, playerId, amountMinor, `${roundId}:stake:${this.#stakes}`);
    this.players.set(seat, playerId);
  }

  /** Settles the open round paying each seat's player (merged per player); the house and rake shares as given. */
  async settleSeats(
    seatPayouts: readonly { seat: number; amountMinor: bigint }[],
    shares: { houseMinor: bigint; rakeMinor?: bigint },
  ): Promise<CloseResult> {
    const payouts = seatPayouts.flatMap(({ seat, amountMinor }) => {
      const playerId = this.players.get(seat);
      return playerId && amountMinor > 0n ? [{ playerId, amountMinor }] : [];
    });
    return this.settle({ payouts: mergePayouts(payouts), ...shares });
  }

  async settle(outcome: RoundOutcome): Promise<CloseResult> {
    const roundId = this.roundId;
    if (!roundId) throw new Error("no round is open");
    const closed = await this.ledger.settle(roundId, outcome);
    this.#closed();
    return closed;
  }

  /** Takes back every stake of the open round (none open: nothing to do). */
  async refund(): Promise<void> {
    const roundId = this.roundId;
    if (!roundId) return;
    await this.ledger.refund(roundId);
    this.#closed();
  }

  #closed() {
    this.roundId = null;
    this.players.clear();
    this.#stakes = 0;
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
