import { createHash } from "node:crypto";

/** A server seed is 32 bytes written as 64 lowercase hex characters; the HMAC key is that ASCII text. */
export const SERVER_SEED_PATTERN = /^[0-9a-f]{64}$/;
/** Client seeds are short and colon-free so that `clientSeed:nonce:cursor` can be read back unambiguously. */
export const CLIENT_SEED_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_NONCE = Number.MAX_SAFE_INTEGER;

export function isServerSeed(value: string): boolean {
  return SERVER_SEED_PATTERN.test(value);
}

export function isClientSeed(value: string): boolean {
  return CLIENT_SEED_PATTERN.test(value);
}

export function isNonce(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The commitment shown to players before play: SHA-256 of the seed's 64-character hex text. */
export function hashServerSeed(serverSeed: string): string {
  assertServerSeed(serverSeed);
  return sha256Hex(serverSeed);
}

export interface SeatClientSeed {
  seat: number;
  clientSeed: string;
}

/**
 * Several players' seeds become one table client seed: sort by seat (ascending), write each as `seat=seed`,
 * join with `,`, and take the SHA-256 hex of that text. Hashing keeps the result inside CLIENT_SEED_PATTERN
 * whatever the number of players, and no player can choose the combined value.
 */
export function combineClientSeeds(entries: readonly SeatClientSeed[]): string {
  if (entries.length === 0) throw new RangeError("combineClientSeeds needs at least one seed");
  const seats = new Set<number>();
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.seat) || entry.seat < 0) throw new RangeError(`bad seat ${entry.seat}`);
    if (seats.has(entry.seat)) throw new RangeError(`seat ${entry.seat} appears twice`);
    seats.add(entry.seat);
    assertClientSeed(entry.clientSeed);
  }
  const text = [...entries]
    .sort((a, b) => a.seat - b.seat)
    .map((entry) => `${entry.seat}=${entry.clientSeed}`)
    .join(",");
  return sha256Hex(text);
}

export function assertServerSeed(serverSeed: string): void {
  if (!isServerSeed(serverSeed)) throw new RangeError("server seed must be 64 lowercase hex characters");
}

export function assertClientSeed(clientSeed: string): void {
  if (!isClientSeed(clientSeed)) throw new RangeError("client seed must match [A-Za-z0-9_-]{1,64}");
}

export function assertNonce(nonce: number): void {
  if (!isNonce(nonce)) throw new RangeError("nonce must be a non-negative safe integer");
}
