import { createHash, createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFairRouter } from "../../src/fair/verify-route.ts";
import { waitFor } from "../support/wait.ts";

const serverSeed = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const serverSeedHash = createHash("sha256").update(serverSeed).digest("hex");
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

async function verifyQuery(query: string) {
  const response = await fetch(`${base}/fair/verify?${query}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function verify(query: Record<string, string | number>) {
  return verifyQuery(
    new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  );
}

describe("GET /fair/verify", () => {
  it("limits each address: past the limit a request is 429 RATE_LIMITED, and the next window answers again", async () => {
    const limited = express().use(createFairRouter({ rateLimit: { limit: 3, windowMs: 400 } }));
    const listener = limited.listen(0);
    await new Promise((resolve) => listener.once("listening", resolve));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/fair/verify?mode=hash&serverSeed=${serverSeed}`;
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(url)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Once the window has passed, the route answers again.
      const status = await waitFor(
        async () => {
          const answer = (await fetch(url)).status;
          return answer !== 429 && answer;
        },
        "the rate limit window to pass",
        5_000,
      );
      expect(status).toBe(200);
    } finally {
      listener.close();
    }
  });

  it("recomputes a whole single-deck shoe: 52 distinct cards, and the hash is SHA-256 of the seed text", async () => {
    const { status, body } = await verify({ serverSeed, clientSeed, nonce: 3, decks: 1 });
    expect(status).toBe(200);
    const cards = body.cards as string[];
    expect(cards).toHaveLength(52);
    expect(new Set(cards).size).toBe(52);
    expect(body.serverSeedHash).toBe(serverSeedHash);
    expect(body.serverSeedHashMatches).toBeNull();
  });

  it("a draw is the top of the shoe with the same seeds and nonce; two cards unless count says otherwise", async () => {
    const shoe = (await verify({ serverSeed, clientSeed, nonce: 8, decks: 6 })).body.cards as string[];
    const draw = (await verify({ serverSeed, clientSeed, nonce: 8, decks: 6, mode: "draw", count: 5 })).body.cards;
    expect(shoe).toHaveLength(312);
    expect(draw).toEqual(shoe.slice(0, 5));
    const attempt = (await verify({ serverSeed, clientSeed, nonce: 8, mode: "draw" })).body;
    const oneDeck = (await verify({ serverSeed, clientSeed, nonce: 8, decks: 1 })).body.cards as string[];
    expect(attempt.cards).toEqual(oneDeck.slice(0, 2));
    expect(attempt.decks).toBe(1);
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

  it("says whether a revealed seed matches the serverSeedHash shown before play, in every mode", async () => {
    const wrong = createHash("sha256").update("another seed").digest("hex");
    const queries: Record<string, string | number>[] = [
      { mode: "hash" },
      { mode: "shoe", clientSeed, nonce: 0, decks: 1 },
      { mode: "draw", clientSeed, nonce: 0 },
    ];
    for (const query of queries) {
      const right = await verify({ ...query, serverSeed, serverSeedHash: serverSeedHash.toUpperCase() });
      expect(right.status, JSON.stringify(query)).toBe(200);
      expect(right.body.serverSeedHashMatches).toBe(true);
      expect((await verify({ ...query, serverSeed, serverSeedHash: wrong })).body.serverSeedHashMatches).toBe(false);
    }
    const hashOnly = (await verify({ mode: "hash", serverSeed })).body;
    expect(hashOnly).toEqual({ mode: "hash", serverSeed, serverSeedHash, serverSeedHashMatches: null });
  });

  it("combines several players' clientSeeds as the tables do", async () => {
    // docs/fairness.md: sha256("0=alice,3=bob").
    const combined = "72033c051e9dda00edca761063c1837fd535f2ec8d80ff2a15c28deefaa7cd50";
    const bySeats = await verify({ serverSeed, clientSeeds: "3=bob,0=alice", nonce: 4, decks: 6 });
    const byCombined = await verify({ serverSeed, clientSeed: combined, nonce: 4, decks: 6 });
    expect(bySeats.status).toBe(200);
    expect(bySeats.body.clientSeed).toBe(combined);
    expect(bySeats.body.cards).toEqual(byCombined.body.cards);
  });

  it("refuses an unknown or misnamed parameter with 400 UNKNOWN_PARAMETER naming it, instead of ignoring it", async () => {
    for (const [name, hint] of [
      ["commitment", "serverSeedHash"],
      ["server_seed_hash", "serverSeedHash"],
      ["serverseed", "serverSeed"],
      ["Nonce", "nonce"],
      ["shoe", null],
    ] as const) {
      const { status, body } = await verify({ serverSeed, clientSeed, nonce: 0, decks: 1, [name]: serverSeedHash });
      expect(status, name).toBe(400);
      expect(body.error).toBe("UNKNOWN_PARAMETER");
      expect(body.field).toBe(name);
      expect(body.message).toContain(`unknown parameter ${name}`);
      if (hint) expect(body.message).toContain(`did you mean ${hint}?`);
    }
  });

  it("names the field of every missing, repeated, malformed or inapplicable parameter", async () => {
    const cases: [string, string, string][] = [
      [`clientSeed=${clientSeed}&nonce=0&decks=1`, "MISSING_PARAMETER", "serverSeed"],
      [`serverSeed=${serverSeed}&nonce=0&decks=1`, "MISSING_PARAMETER", "clientSeed"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&decks=1`, "MISSING_PARAMETER", "nonce"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=0`, "MISSING_PARAMETER", "decks"],
      [`serverSeed=nothex&clientSeed=${clientSeed}&nonce=0&decks=1`, "BAD_PARAMETER", "serverSeed"],
      [`serverSeed=${serverSeed}&clientSeed=has:colon&nonce=0&decks=1`, "BAD_PARAMETER", "clientSeed"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=-1&decks=1`, "BAD_PARAMETER", "nonce"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=1.5&decks=1`, "BAD_PARAMETER", "nonce"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=0&nonce=1&decks=1`, "BAD_PARAMETER", "nonce"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=0&decks=9`, "BAD_PARAMETER", "decks"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=0&mode=draw&count=53`, "BAD_PARAMETER", "count"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=0&decks=1&count=2`, "BAD_PARAMETER", "count"],
      [`serverSeed=${serverSeed}&clientSeed=${clientSeed}&nonce=0&mode=deal`, "BAD_PARAMETER", "mode"],
      [`serverSeed=${serverSeed}&mode=hash&nonce=0`, "BAD_PARAMETER", "nonce"],
      [`serverSeed=${serverSeed}&serverSeedHash=ab&mode=hash`, "BAD_PARAMETER", "serverSeedHash"],
      [`serverSeed=${serverSeed}&clientSeeds=0=a,0=b&nonce=0&decks=1`, "BAD_PARAMETER", "clientSeeds"],
      [`serverSeed=${serverSeed}&clientSeeds=0=a&clientSeed=b&nonce=0&decks=1`, "BAD_PARAMETER", "clientSeeds"],
      [`serverSeed[x]=1&clientSeed=${clientSeed}&nonce=0&decks=1`, "UNKNOWN_PARAMETER", "serverSeed[x]"],
    ];
    for (const [query, code, field] of cases) {
      const { status, body } = await verifyQuery(query);
      expect(status, query).toBe(400);
      expect(body, query).toMatchObject({ error: code, field });
      expect(body.message, query).toContain(field);
    }
  });
});
