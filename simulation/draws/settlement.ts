import { rakeForPot, splitPot } from "../money/pot.ts";
import type { DrawsConfig } from "./config.ts";

export { rakeForPot };

export type Seat = 0 | 1;
export const SEATS: readonly Seat[] = [0, 1];

export function otherSeat(seat: Seat): Seat {
  return seat === 0 ? 1 : 0;
}

/** What the wallet moves for one seat: `stakeMinor` went into escrow, `payoutMinor` comes back out of it. */
export interface SeatTransfer {
  seat: Seat;
  stakeMinor: bigint;
  payoutMinor: bigint;
  /** payoutMinor - stakeMinor. */
  netMinor: bigint;
}

/** A round's money: the pot is both stakes; payouts plus rake equal the pot exactly. */
export interface RoundSettlement {
  potMinor: bigint;
  rakeMinor: bigint;
  seats: [SeatTransfer, SeatTransfer];
}

export type RakeRule = Pick<DrawsConfig, "rakeBps" | "rakeCapMinor">;

function transfer(seat: Seat, stakeMinor: bigint, payoutMinor: bigint): SeatTransfer {
  return { seat, stakeMinor, payoutMinor, netMinor: payoutMinor - stakeMinor };
}

function balanced(settlement: RoundSettlement): RoundSettlement {
  const [a, b] = settlement.seats;
  const staked = a.stakeMinor + b.stakeMinor;
  const paid = a.payoutMinor + b.payoutMinor + settlement.rakeMinor;
  if (staked !== settlement.potMinor || paid !== settlement.potMinor || a.payoutMinor < 0n || b.payoutMinor < 0n) {
    throw new Error(`unbalanced settlement: pot ${settlement.potMinor}, staked ${staked}, paid out with rake ${paid}`);
  }
  return settlement;
}

/** The winner takes the pot less the rake (or the whole pot when `withRake` is false); the loser gets nothing. */
export function settleWin(winner: Seat, stakeMinor: bigint, rule: RakeRule, withRake = true): RoundSettlement {
  if (stakeMinor < 0n) throw new RangeError("stake must not be negative");
  const { potMinor, rakeMinor, payoutMinor } = splitPot([stakeMinor, stakeMinor], rule, withRake);
  const payout = (seat: Seat) => (seat === winner ? payoutMinor : 0n);
  return balanced({
    potMinor,
    rakeMinor,
    seats: [transfer(0, stakeMinor, payout(0)), transfer(1, stakeMinor, payout(1))],
  });
}

/** A push: each seat gets its stake back and the house takes nothing. */
export function settlePush(stakeMinor: bigint): RoundSettlement {
  if (stakeMinor < 0n) throw new RangeError("stake must not be negative");
  return balanced({
    potMinor: stakeMinor * 2n,
    rakeMinor: 0n,
    seats: [transfer(0, stakeMinor, stakeMinor), transfer(1, stakeMinor, stakeMinor)],
  });
}

/** A round that ended before any stake was held: nothing moves. */
export function settleNothing(): RoundSettlement {
  return settlePush(0n);
}
