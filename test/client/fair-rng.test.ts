import { describe, expect, it } from "vitest";
import { cardCode } from "../../client/src/card-code.ts";
import { recomputeCards, sha256Hex } from "../../client/src/fair-rng.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { recomputeDraw, recomputeShoe } from "../../simulation/rng/verify.ts";

// The browser's verifier runs here on Node's WebCrypto (the same API): it must agree with docs/fairness.md's worked
// example, and with the server's verifier on generated seeds, without sharing any of its code.
const SERVER_SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";

describe("the browser's fair-play verifier", () => {
  it("reproduces the documented commitment and the first eight cards of the worked example", async () => {
    expect(await sha256Hex(SERVER_SEED)).toBe("e0bc614e4fd035a488619799853b075143deea596c477b8dc077e309c0fe42e9");
    const cards = await recomputeCards({ serverSeed: SERVER_SEED, clientSeed: "alice", nonce: 0 }, 1, 8);
    expect(cards.map(cardCode).join(" ")).toBe("7d 4h 8d Jc 4c 3c 4s Kh");
  });

  it("agrees with the server's verifier card for card on generated seeds, shoes and draws", async () => {
    const seed = Number(process.env.FAIR_RNG_SEED ?? 20261201);
    const random = seededUniform(seed);
    const hex = () => Array.from({ length: 64 }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
    for (let i = 0; i < 12; i++) {
      const seeds = {
        serverSeed: hex(),
        clientSeed: `c${Math.floor(random() * 1e9)}`,
        nonce: Math.floor(random() * 50),
      };
      const decks = 1 + Math.floor(random() * 8);
      const browser = await recomputeCards(seeds, decks);
      expect(browser, `seed ${seed} case ${i}`).toEqual(recomputeShoe(seeds, decks));
      expect(await recomputeCards(seeds, 1, 2), `seed ${seed} case ${i}`).toEqual(recomputeDraw(seeds, 2, 1));
    }
  });
});
