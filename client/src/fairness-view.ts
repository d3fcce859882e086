import type { View } from "./app.ts";
import { cardCode } from "./card-code.ts";
import { cardElement } from "./cards.ts";
import { h, replaceChildren } from "./dom.ts";
import { seenShoes } from "./fair-log.ts";
import { recomputeCards, sha256Hex } from "./fair-rng.ts";

const HEX_64 = /^[0-9a-f]{64}$/;
const CLIENT_SEED = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_NONCES = 64;
const SHOWN_CARDS = 24;

/** Recomputes shoes or draws from revealed seeds here in the browser and checks them against what was shown. */
export const fairnessView: View = (_app, root, params) => {
  const field = (name: string, label: string, value: string) => {
    const input = h("input", { id: `fv-${name}`, name, value, autocomplete: "off", spellcheck: "false" });
    return { input, row: h("div", { class: "field" }, h("label", { for: `fv-${name}` }, label), input) };
  };
  const serverSeed = field("serverSeed", "Revealed server seed", params.get("serverSeed") ?? "");
  const commitment = field("commitment", "Commitment shown before play", params.get("commitment") ?? "");
  const clientSeed = field("clientSeed", "Client seed", params.get("clientSeed") ?? "");
  const nonces = field("nonces", "Nonces used (0 up to this, exclusive)", params.get("nonces") ?? "1");
  const decks = field("decks", "Decks per shuffle", params.get("decks") ?? "1");
  const draw = params.get("game") === "draws";
  const output = h("div", { id: "fv-output", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "panel" },
    h("h1", {}, "Verify fairness"),
    h(
      "p",
      {},
      "Every card comes from HMAC-SHA256(server seed, client seed:nonce:cursor). This page recomputes them with your browser's own WebCrypto, not the server's verifier.",
    ),
    serverSeed.row,
    commitment.row,
    clientSeed.row,
    nonces.row,
    decks.row,
    h("button", { type: "submit", id: "fv-run" }, "Verify"),
  );
  root.append(form, h("section", { class: "panel" }, output));

  const run = async () => {
    const seed = serverSeed.input.value.trim();
    const hash = commitment.input.value.trim().toLowerCase();
    const client = clientSeed.input.value.trim();
    const nonceCount = Number(nonces.input.value);
    const deckCount = Number(decks.input.value);
    const problems: string[] = [];
    if (!HEX_64.test(seed)) problems.push("The server seed is 64 lowercase hex characters.");
    if (hash && !HEX_64.test(hash)) problems.push("The commitment is 64 hex characters.");
    if (!CLIENT_SEED.test(client)) problems.push("The client seed is 1 to 64 of A-Z a-z 0-9 _ -.");
    if (!Number.isInteger(nonceCount) || nonceCount < 1 || nonceCount > MAX_NONCES) {
      problems.push(`Nonces: a whole number from 1 to ${MAX_NONCES}.`);
    }
    if (!Number.isInteger(deckCount) || deckCount < 1 || deckCount > 8) problems.push("Decks: 1 to 8.");
    if (problems.length > 0) {
      replaceChildren(
        output,
        h(
          "ul",
          { class: "bad" },
          problems.map((p) => h("li", {}, p)),
        ),
      );
      return;
    }
    const actualHash = await sha256Hex(seed);
    const results: HTMLElement[] = [
      hash
        ? h(
            "p",
            { class: actualHash === hash ? "good" : "bad", id: "fv-hash-verdict" },
            actualHash === hash
              ? "✔ The revealed seed matches the commitment shown before play."
              : `✘ The revealed seed hashes to ${actualHash}, not to the commitment.`,
          )
        : h("p", {}, `SHA-256 of the seed: ${actualHash}`),
    ];
    const seen = seenShoes(hash || actualHash);
    let checked = 0;
    let mismatches = 0;
    for (let nonce = 0; nonce < nonceCount; nonce++) {
      const cards = await recomputeCards(
        { serverSeed: seed, clientSeed: client, nonce },
        deckCount,
        draw ? 2 : undefined,
      );
      const mine = seen.find((s) => s.nonce === nonce);
      let verdict: HTMLElement | null = null;
      if (mine) {
        const wrong = mine.cards.filter((card, i) => card !== null && cards[mine.firstIndex + i] !== card).length;
        const known = mine.cards.filter((card) => card !== null).length;
        checked += known;
        mismatches += wrong;
        verdict = h(
          "p",
          { class: wrong === 0 ? "good" : "bad" },
          wrong === 0
            ? `✔ All ${known} cards you saw dealt match this shuffle, in order, from position ${mine.firstIndex + 1}.`
            : `✘ ${wrong} of the ${known} cards you saw differ from this shuffle.`,
        );
      }
      results.push(
        h(
          "div",
          { class: "shoe", "data-nonce": nonce, "data-cards": cards.slice(0, SHOWN_CARDS).map(cardCode).join(" ") },
          h(
            "h3",
            {},
            `Nonce ${nonce}: ${draw ? "the two cards drawn" : `top ${Math.min(SHOWN_CARDS, cards.length)} of ${cards.length}`}`,
          ),
          h(
            "div",
            { class: "cards" },
            cards.slice(0, SHOWN_CARDS).map((card) => cardElement(card)),
          ),
          verdict,
        ),
      );
    }
    if (checked > 0) {
      results.push(
        h(
          "p",
          { class: mismatches === 0 ? "good summary" : "bad summary", id: "fv-summary" },
          mismatches === 0
            ? `Verified: ${checked} cards seen in this browser recomputed exactly.`
            : `${mismatches} cards do not match.`,
        ),
      );
    }
    replaceChildren(output, results);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run();
  });
  if (serverSeed.input.value) void run();
  return undefined;
};
