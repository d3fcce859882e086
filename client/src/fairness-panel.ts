import { h } from "./dom.ts";

export interface RevealedSeed {
  serverSeed: string;
  serverSeedHash: string;
  clientSeed: string;
  nextNonce: number;
}

export interface FairnessPanelOptions {
  game: "blackjack" | "draws";
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  decks: number;
  revealed: RevealedSeed[];
  onRotate?: () => void;
}

/** Where to check a revealed seed: the verify view, filled in. */
export function verifyLink(game: string, seed: RevealedSeed, decks: number): string {
  const query = new URLSearchParams({
    game,
    serverSeed: seed.serverSeed,
    commitment: seed.serverSeedHash,
    clientSeed: seed.clientSeed,
    nonces: String(seed.nextNonce),
    decks: String(decks),
  });
  return `#/fairness?${query}`;
}

/** The commitment shown before play, and every revealed seed with a link to check it. */
export function fairnessPanel(options: FairnessPanelOptions): (HTMLElement | null)[] {
  return [
    h("h2", {}, "Fair play"),
    h(
      "dl",
      { class: "commitment" },
      h("dt", {}, "Server seed commitment (SHA-256)"),
      h("dd", { class: "hex", id: "fair-commitment" }, options.serverSeedHash),
      h("dt", {}, "Client seed"),
      h("dd", { class: "hex" }, options.clientSeed),
      h("dt", {}, "Next nonce"),
      h("dd", {}, String(options.nonce)),
    ),
    options.onRotate
      ? h(
          "button",
          { type: "button", class: "secondary", id: "fair-rotate", onClick: options.onRotate },
          "Reveal this seed after the round",
        )
      : null,
    options.revealed.length > 0
      ? h(
          "ul",
          { class: "revealed" },
          [...options.revealed]
            .reverse()
            .map((seed) =>
              h(
                "li",
                {},
                h("span", { class: "hex" }, `${seed.serverSeedHash.slice(0, 16)}…`),
                " revealed — ",
                h("a", { href: verifyLink(options.game, seed, options.decks), class: "verify-link" }, "verify"),
              ),
            ),
        )
      : h("p", { class: "muted" }, "No seed revealed yet at this table."),
  ];
}
