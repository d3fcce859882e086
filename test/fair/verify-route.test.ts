import { createHash, createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFairRouter } from "../../src/fair/verify-route.ts";

const serverSeed = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const clientSeed = "table-seven";

let base: string;
let close: () => void;
beforeAll(async () => {
  const app = express().use(createFairRouter());
  const listener = app.listen(0);
  await new Promise((resolve) => listener.once("listening", resolve));
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  close = () => listener.close();
});
afterAll(() => close());

async function verify(query: Record<string, string | number | undefined>) {
  const response = await fetch(
    `${base}/fair/verify?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`,
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("GET /fair/verify", () => {
  it("recomputes a whole single-deck shoe: 52 distinct cards, and the commitment is SHA-256 of the seed text", async () => {
    const { status, body } = await verify({ serverSeed, clientSeed, nonce: 3, decks: 1 });
    expect(status).toBe(200);
    const cards = body.cards as string[];
    expect(cards).toHaveLength(52);
    expect(new Set(cards).size).toBe(52);
    expect(body.serverSeedHash).toBe(createHash("sha256").update(serverSeed).digest("hex"));
  });

  it("a draw is the top of the shoe with the same seeds and nonce", async () => {
    const shoe = (await verify({ serverSeed, clientSeed, nonce: 8, decks: 6 })).body.cards as string[];
    const draw = (await verify({ serverSeed, clientSeed, nonce: 8, decks: 6, mode: "draw", count: 5 })).body.cards;
    expect(shoe).toHaveLength(312);
    expect(draw).toEqual(shoe.slice(0, 5));
  });

  it("the first card is the one the published derivation gives, recomputed here from the HMAC bytes", async () => {
    // docs/fairness.md: number 0 is big-endian bytes 0..3 of HMAC-SHA256(key=serverSeed, "clientSeed:nonce:0");
    // forward Fisher–Yates fixes position 0 with index (number mod 52) of the ordered deck (clubs, diamonds, hearts,
    // spades; ace..king), rejecting numbers at or above 2^32 - (2^32 mod 52), which is vanishingly rare.
    for (const nonce of [0, 1, 2, 77]) {
      const digest = createHmac("sha256", serverSeed).update(`${clientSeed}:${nonce}:0`).digest();
      const x = digest.readUInt32BE(0);
      expect(x).toBeLessThan(2 ** 32 - (2 ** 32 % 52));
      const index = x % 52;
      const expected = "A23456789TJQK"[index % 13]! + "cdhs"[Math.floor(index / 13)]!;
      const { body } = await verify({ serverSeed, clientSeed, nonce, mode: "draw", count: 1 });
      expect(body.cards).toEqual([expected]);
    }
  });

  it("says whether a revealed seed matches the commitment shown before play", async () => {
    const hash = createHash("sha256").update(serverSeed).digest("hex");
    expect((await verify({ serverSeed, clientSeed, nonce: 0, serverSeedHash: hash })).body.commitmentMatches).toBe(
      true,
    );
    const wrong = createHash("sha256").update("another seed").digest("hex");
    expect((await verify({ serverSeed, clientSeed, nonce: 0, serverSeedHash: wrong })).body.commitmentMatches).toBe(
      false,
    );
  });

  it("rejects malformed seeds, nonces and deck counts with 400", async () => {
    for (const query of [
      { serverSeed: "nothex", clientSeed, nonce: 0 },
      { serverSeed, clientSeed: "has:colon", nonce: 0 },
      { serverSeed, clientSeed, nonce: -1 },
      { serverSeed, clientSeed, nonce: 0, decks: 9 },
      { serverSeed, clientSeed, nonce: 0, mode: "draw", count: 53 },
    ]) {
      const { status, body } = await verify(query);
      expect(status, JSON.stringify(query)).toBe(400);
      expect(body.error).toBe("BAD_REQUEST");
    }
  });
});
