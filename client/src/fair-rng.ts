// The provably fair scheme of docs/fairness.md, written again for the browser on WebCrypto so a player can check the
// server without trusting any of its code: HMAC-SHA256(serverSeed, `clientSeed:nonce:cursor`), 4 bytes per number,
// rejection sampling for integers, Fisher–Yates from the front.

const encoder = new TextEncoder();
const TWO_32 = 2 ** 32;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The 32-bit numbers of one (serverSeed, clientSeed, nonce), eight per HMAC digest. */
export class BrowserFairStream {
  #key: ReturnType<typeof crypto.subtle.importKey>;
  #cursor = 0;
  #buffer: number[] = [];

  readonly clientSeed: string;
  readonly nonce: number;

  constructor(serverSeed: string, clientSeed: string, nonce: number) {
    this.clientSeed = clientSeed;
    this.nonce = nonce;
    this.#key = crypto.subtle.importKey("raw", encoder.encode(serverSeed), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
  }

  async next(): Promise<number> {
    if (this.#buffer.length === 0) {
      const message = encoder.encode(`${this.clientSeed}:${this.nonce}:${this.#cursor}`);
      this.#cursor += 1;
      const digest = new DataView(await crypto.subtle.sign("HMAC", await this.#key, message));
      for (let offset = 0; offset < 32; offset += 4) this.#buffer.push(digest.getUint32(offset, false));
    }
    return this.#buffer.shift()!;
  }

  /** A uniform integer in [0, n) by rejection, with no modulo bias. */
  async uniformInt(n: number): Promise<number> {
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = await this.next();
      if (x < limit) return x % n;
    }
  }
}

/** The first `count` cards of a shuffle of `decks` decks (the whole shoe when count is omitted). */
export async function recomputeCards(
  seeds: { serverSeed: string; clientSeed: string; nonce: number },
  decks: number,
  count?: number,
): Promise<number[]> {
  const cards = Array.from({ length: 52 * decks }, (_, k) => k % 52);
  const stream = new BrowserFairStream(seeds.serverSeed, seeds.clientSeed, seeds.nonce);
  const steps = Math.min(count ?? cards.length, cards.length - 1);
  for (let i = 0; i < steps; i++) {
    const j = i + (await stream.uniformInt(cards.length - i));
    [cards[i], cards[j]] = [cards[j]!, cards[i]!];
  }
  return count === undefined ? cards : cards.slice(0, count);
}
