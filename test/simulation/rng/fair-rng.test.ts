import { describe, expect, it } from "vitest";
import { cardsToString, orderedShoe } from "../../../simulation/cards/index.ts";
import {
  combineClientSeeds,
  createSeedState,
  FairNumberStream,
  fairDigest,
  fairPermutation,
  fairShuffle,
  hashServerSeed,
  publicSeedState,
  recomputeDraw,
  recomputeShoe,
  rotateSeeds,
  takeNonce,
  uniformInt,
  verifyCommitment,
} from "../../../simulation/rng/index.ts";

// The seed is the SHA-256 of "1"; any 64-hex text would do.
const SERVER_SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
const SEEDS = { serverSeed: SERVER_SEED, clientSeed: "alice", nonce: 0 };

describe("known vector computed with openssl", () => {
  it("commits to the seed with SHA-256 of its hex text", () => {
    // printf '%s' 6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b | openssl dgst -sha256
    expect(hashServerSeed(SERVER_SEED)).toBe("e0bc614e4fd035a488619799853b075143deea596c477b8dc077e309c0fe42e9");
  });

  it("derives the digest as HMAC-SHA256(serverSeed, clientSeed:nonce:cursor)", () => {
    // printf '%s' 'alice:0:0' | openssl dgst -sha256 -hmac 6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b
    expect(fairDigest(SEEDS, 0).toString("hex")).toBe(
      "ac9cba7b1a5deee8b31b76e059f81795276536d686415ad452540b5c35401b8e",
    );
    // printf '%s' 'alice:0:1' | openssl dgst -sha256 -hmac 6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b
    expect(fairDigest(SEEDS, 1).toString("hex")).toBe(
      "e144fdb91dce74847f7b7ba8732dd20aec7df51346b05f09e28a553f89757ee4",
    );
  });

  it("reads 8 big-endian uint32 numbers per digest, then moves to the next cursor", () => {
    // By hand from the digest bytes: 0xac9cba7b = 2895952507, 0x1a5deee8 = 442363624, ... 0x35401b8e = 893393806.
    const expected = [2895952507, 442363624, 3004921568, 1509431189, 660944598, 2252430036, 1381239644, 893393806];
    const stream = new FairNumberStream(SEEDS);
    expect(Array.from({ length: 8 }, () => stream.nextUint32())).toEqual(expected);
    expect(stream.nextUint32()).toBe(0xe144fdb9); // first 4 bytes of the cursor-1 digest
    // As floats: 2895952507 / 2^32 = 0.6742664861958474
    expect(new FairNumberStream(SEEDS).nextFloat()).toBe(0.6742664861958474);
  });

  it("turns those numbers into the top of a one-deck shuffle", () => {
    // Forward Fisher–Yates on ids 0..51, j = i + (x mod (52 - i)) (no rejection happens here):
    // 2895952507 mod 52 = 19 -> swap 0,19; 442363624 mod 51 = 28 -> swap 1,29; 3004921568 mod 50 = 18 -> swap 2,20;
    // 1509431189 mod 49 = 7 -> swap 3,10; 660944598 mod 48 = 6 -> swap 4,10; 2252430036 mod 47 = 15 -> swap 5,20;
    // 1381239644 mod 46 = 36 -> swap 6,42; 893393806 mod 45 = 31 -> swap 7,38.
    expect(cardsToString(recomputeDraw(SEEDS, 8))).toBe("7d 4h 8d Jc 4c 3c 4s Kh");
    expect(recomputeShoe(SEEDS, 1).slice(0, 8)).toEqual(recomputeDraw(SEEDS, 8));
  });

  it("combines several players' seeds by sorting on seat and hashing", () => {
    // printf '%s' '0=alice,3=bob' | openssl dgst -sha256
    const combined = "72033c051e9dda00edca761063c1837fd535f2ec8d80ff2a15c28deefaa7cd50";
    expect(
      combineClientSeeds([
        { seat: 3, clientSeed: "bob" },
        { seat: 0, clientSeed: "alice" },
      ]),
    ).toBe(combined);
    expect(() => combineClientSeeds([])).toThrow();
    expect(() => combineClientSeeds([{ seat: 1, clientSeed: "a:b" }])).toThrow();
  });
});

describe("determinism", () => {
  it("gives the same shoe for the same inputs and a different one when any input changes", () => {
    const a = recomputeShoe({ ...SEEDS, nonce: 7 }, 6);
    expect(recomputeShoe({ ...SEEDS, nonce: 7 }, 6)).toEqual(a);
    expect(recomputeShoe({ ...SEEDS, nonce: 8 }, 6)).not.toEqual(a);
    expect(recomputeShoe({ ...SEEDS, nonce: 7, clientSeed: "bob" }, 6)).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual([...orderedShoe(6)].sort((x, y) => x - y));
  });

  it("rejects malformed seeds and nonces", () => {
    expect(() => new FairNumberStream({ ...SEEDS, serverSeed: "abc" })).toThrow();
    expect(() => new FairNumberStream({ ...SEEDS, clientSeed: "" })).toThrow();
    expect(() => new FairNumberStream({ ...SEEDS, nonce: -1 })).toThrow();
    expect(() => new FairNumberStream({ ...SEEDS, nonce: 1.5 })).toThrow();
  });
});

describe("uniformInt", () => {
  const scripted = (values: number[]) => {
    let k = 0;
    return { nextUint32: () => values[k++] };
  };

  it("rejects the top 2^32 mod n values instead of folding them in", () => {
    // 2^32 mod 52 = 48, so values >= 4294967248 are discarded and the next number is used.
    expect(uniformInt(scripted([4294967248, 4294967295, 105]), 52)).toBe(105 % 52);
    expect(uniformInt(scripted([4294967247]), 52)).toBe(4294967247 % 52);
  });

  it("covers every value of small ranges", () => {
    const stream = new FairNumberStream(SEEDS);
    const seen = new Set<number>();
    for (let k = 0; k < 200; k++) seen.add(uniformInt(stream, 3));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(() => uniformInt(stream, 0)).toThrow();
  });
});

/** Wilson–Hilferty approximation of the chi-square quantile with k degrees of freedom at normal quantile z. */
function chiSquareQuantile(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}
const Z_999 = 3.090232; // upper 0.1% point of the standard normal

function positionChiSquare(n: number, shuffles: number, clientSeed: string): { statistic: number; df: number } {
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let nonce = 0; nonce < shuffles; nonce++) {
    const permutation = fairPermutation(n, { serverSeed: SERVER_SEED, clientSeed, nonce });
    permutation.forEach((item, position) => {
      counts[item][position] += 1;
    });
  }
  const expected = shuffles / n;
  let statistic = 0;
  for (const row of counts) for (const count of row) statistic += (count - expected) ** 2 / expected;
  return { statistic, df: (n - 1) * (n - 1) };
}

describe("shuffle uniformity (chi-square over item x position, significance 0.001, fixed seeds)", () => {
  it("places each of 8 items in each position equally often over 40,000 shuffles", () => {
    const { statistic, df } = positionChiSquare(8, 40_000, "uniformity-8");
    expect(df).toBe(49);
    expect(statistic).toBeLessThan(chiSquareQuantile(df, Z_999)); // about 85.4
  });

  it("places each of 52 cards in each position equally often over 5,200 one-deck shuffles", () => {
    const { statistic, df } = positionChiSquare(52, 5_200, "uniformity-52");
    expect(statistic).toBeLessThan(chiSquareQuantile(df, Z_999)); // about 2826 for df 2601
    // A broken shuffle (e.g. j drawn from 0..n-1 at every step) lands far above; a sanity floor catches a constant one.
    expect(statistic).toBeGreaterThan(chiSquareQuantile(df, -Z_999));
  });

  it("shuffles arbitrary items with the same permutation as their indices", () => {
    const items = ["a", "b", "c", "d", "e"];
    const permutation = fairPermutation(5, SEEDS);
    expect(fairShuffle(items, SEEDS)).toEqual(permutation.map((k) => items[k]));
  });
});

describe("seed rotation", () => {
  const NEXT_SEED = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35";

  it("advances the nonce per shuffle and reveals the old seed on rotation", () => {
    let state = createSeedState(SERVER_SEED, "alice");
    expect(publicSeedState(state)).toEqual({
      serverSeedHash: hashServerSeed(SERVER_SEED),
      clientSeed: "alice",
      nonce: 0,
    });
    expect(Object.keys(publicSeedState(state))).not.toContain("serverSeed");
    const first = takeNonce(state);
    expect(first.nonce).toBe(0);
    state = takeNonce(first.next).next;
    expect(state.nonce).toBe(2);

    const { revealed, next } = rotateSeeds(state, NEXT_SEED, "carol");
    expect(revealed).toEqual({
      serverSeed: SERVER_SEED,
      serverSeedHash: hashServerSeed(SERVER_SEED),
      clientSeed: "alice",
      nextNonce: 2,
    });
    expect(verifyCommitment(revealed.serverSeed, revealed.serverSeedHash)).toBe(true);
    expect(next).toEqual({
      serverSeed: NEXT_SEED,
      serverSeedHash: hashServerSeed(NEXT_SEED),
      clientSeed: "carol",
      nonce: 0,
    });
    expect(() => rotateSeeds(next, NEXT_SEED)).toThrow();
  });

  it("fails a commitment check for any other seed", () => {
    expect(verifyCommitment(NEXT_SEED, hashServerSeed(SERVER_SEED))).toBe(false);
    expect(verifyCommitment("not hex", hashServerSeed(SERVER_SEED))).toBe(false);
    expect(verifyCommitment(SERVER_SEED, hashServerSeed(SERVER_SEED).toUpperCase())).toBe(true);
  });
});
