import { createHmac } from "node:crypto";
import { assertClientSeed, assertNonce, assertServerSeed } from "./seeds.ts";

export interface FairSeeds {
  serverSeed: string;
  clientSeed: string;
  nonce: number;
}

/** Bytes of one HMAC-SHA256 digest, and how many 4-byte numbers it yields. */
export const DIGEST_BYTES = 32;
export const NUMBERS_PER_DIGEST = 8;
const TWO_POW_32 = 2 ** 32;

/** HMAC-SHA256(key = serverSeed text, message = `${clientSeed}:${nonce}:${cursor}`). */
export function fairDigest(seeds: FairSeeds, cursor: number): Buffer {
  return createHmac("sha256", seeds.serverSeed).update(`${seeds.clientSeed}:${seeds.nonce}:${cursor}`).digest();
}

/**
 * The sequence of uniform 32-bit numbers for one (serverSeed, clientSeed, nonce): number i is bytes
 * 4*(i mod 8) .. 4*(i mod 8)+3 (big-endian) of the digest with cursor floor(i / 8).
 * Deterministic; it holds a position, so each shuffle or draw makes its own.
 */
export class FairNumberStream {
  readonly seeds: FairSeeds;
  private cursor = 0;
  private digest: Buffer | null = null;
  private offset = DIGEST_BYTES;
  /** How many numbers have been taken so far. */
  taken = 0;

  constructor(seeds: FairSeeds) {
    assertServerSeed(seeds.serverSeed);
    assertClientSeed(seeds.clientSeed);
    assertNonce(seeds.nonce);
    this.seeds = { serverSeed: seeds.serverSeed, clientSeed: seeds.clientSeed, nonce: seeds.nonce };
  }

  nextUint32(): number {
    if (this.offset === DIGEST_BYTES) {
      this.digest = fairDigest(this.seeds, this.cursor);
      this.cursor += 1;
      this.offset = 0;
    }
    const value = this.digest!.readUInt32BE(this.offset);
    this.offset += 4;
    this.taken += 1;
    return value;
  }

  /** The trade's float: uint32 / 2^32, in [0, 1). Shown to players; shuffles use nextInt. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }
}

export interface Uint32Source {
  nextUint32(): number;
}

/**
 * An integer uniform on [0, n) with no modulo bias, by rejection: with limit = 2^32 - (2^32 mod n), a number
 * x >= limit is discarded and the next one taken; otherwise the result is x mod n. Every result has exactly
 * limit / n source values. For a shoe of 416 cards the chance of a rejection is under 1e-7 per number.
 */
export function uniformInt(source: Uint32Source, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`uniformInt range ${n}`);
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  for (;;) {
    const x = source.nextUint32();
    if (x < limit) return x % n;
  }
}
