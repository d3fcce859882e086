import type { View } from "./app.ts";
import { h, replaceChildren } from "./dom.ts";
import { describeFailure } from "./errors.ts";
import { formatMinor } from "./money.ts";

const KIND_WORDS: Record<string, string> = {
  grant: "Demo credit",
  stake: "Stake",
  payout: "Payout",
  refund: "Refund",
  rake: "Rake",
  entry_fee: "Tournament entry",
  prize: "Tournament prize",
};

export const walletView: View = (app, root) => {
  const balance = h("p", { class: "big", id: "wallet-balance" }, "…");
  const rows = h("tbody");
  root.append(
    h("section", { class: "panel" }, h("h1", {}, "Wallet"), balance),
    h(
      "section",
      { class: "panel" },
      h("h2", {}, "Ledger (newest first)"),
      h(
        "table",
        { class: "ledger" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", {}, "When"), h("th", {}, "What"), h("th", {}, "Game"), h("th", {}, "Amount")),
        ),
        rows,
      ),
    ),
  );
  void (async () => {
    try {
      const [wallet, page] = await Promise.all([app.session.wallet(), app.session.transfers(50)]);
      balance.textContent = `${formatMinor(wallet.balanceMinor, wallet.currencyScale)} ${wallet.currency}`;
      replaceChildren(
        rows,
        page.transfers.map((t) =>
          h(
            "tr",
            {},
            h("td", {}, new Date(t.createdAt).toLocaleString()),
            h("td", {}, KIND_WORDS[t.kind] ?? t.kind),
            h("td", {}, t.roundId ?? ""),
            h("td", { class: t.direction === "credit" ? "credit" : "debit" }, t.formatted),
          ),
        ),
      );
    } catch (error) {
      app.notify(describeFailure(error));
    }
  })();
  return undefined;
};
