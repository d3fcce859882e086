import { WalletError } from "./errors.ts";

/** The largest amount one transfer may move: far above any demo stake, far below bigint overflow of a balance. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000_000n;

const DECIMAL_INTEGER = /^[0-9]{1,19}$/;

/**
 * A positive whole number of minor units from what a caller or a client sent: a bigint, a safe integer number,
 * or a string of decimal digits. Everything else is BAD_AMOUNT, before any query runs.
 */
export function parseAmountMinor(value: unknown, what = "amount"): bigint {
  let amount: bigint;
  if (typeof value === "bigint") {
    amount = value;
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new WalletError("BAD_AMOUNT", `${what} must be a whole number of minor units below 2^53, got ${value}`);
    }
    amount = BigInt(value);
  } else if (typeof value === "string") {
    if (!DECIMAL_INTEGER.test(value)) {
      throw new WalletError("BAD_AMOUNT", `${what} must be a string of decimal digits, got ${JSON.stringify(value)}`);
    }
    amount = BigInt(value);
  } else {
    throw new WalletError(
      "BAD_AMOUNT",
      `${what} must be a bigint, a safe integer or a digit string, got ${typeof value}`,
    );
  }
  if (amount <= 0n) throw new WalletError("BAD_AMOUNT", `${what} must be positive, got ${amount}`);
  if (amount > MAX_AMOUNT_MINOR) {
    throw new WalletError("BAD_AMOUNT", `${what} must be at most ${MAX_AMOUNT_MINOR} minor units, got ${amount}`);
  }
  return amount;
}

/** Like parseAmountMinor but zero is allowed (a loser's payout, no rake). */
export function parseAmountMinorOrZero(value: unknown, what = "amount"): bigint {
  if (value === 0 || value === 0n || value === "0") return 0n;
  return parseAmountMinor(value, what);
}

export interface MoneyFormat {
  currency: string;
  /** Digits after the decimal point. */
  currencyScale: number;
}

/** 123456n at scale 2 in DEMO -> "1,234.56 DEMO". */
export function formatMinor(amountMinor: bigint, format: MoneyFormat): string {
  const sign = amountMinor < 0n ? "-" : "";
  const digits = (amountMinor < 0n ? -amountMinor : amountMinor).toString().padStart(format.currencyScale + 1, "0");
  const whole = digits.slice(0, digits.length - format.currencyScale).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = format.currencyScale > 0 ? `.${digits.slice(digits.length - format.currencyScale)}` : "";
  return `${sign}${whole}${fraction} ${format.currency}`;
}

/** An integer column as a bigint, whichever way the driver returned it (pg: string, PGlite: number or bigint). */
export function toBigInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new WalletError("LEDGER_INVARIANT", `expected an integer from the database, got ${String(value)}`);
}
