import type { App, View } from "./app.ts";
import { blackjackView } from "./blackjack-view.ts";
import { h, replaceChildren } from "./dom.ts";
import { drawsView } from "./draws-view.ts";
import { describeFailure } from "./errors.ts";
import { fairnessView } from "./fairness-view.ts";
import { lobbyView, signInView } from "./lobby-view.ts";
import { formatMinor } from "./money.ts";
import { poolView } from "./pool-view.ts";
import { Session } from "./session.ts";
import { tournamentsView } from "./tournaments-view.ts";
import { walletView } from "./wallet-view.ts";

const VIEWS: Record<string, { title: string; view: View }> = {
  lobby: { title: "Lobby", view: lobbyView },
  blackjack: { title: "Blackjack", view: blackjackView },
  draws: { title: "Draws", view: drawsView },
  pool: { title: "Pool", view: poolView },
  tournaments: { title: "Tournaments", view: tournamentsView },
  wallet: { title: "Wallet", view: walletView },
  fairness: { title: "Fairness", view: fairnessView },
};

const session = new Session(location.origin);
const viewRoot = document.getElementById("view")!;
const nav = document.getElementById("nav")!;
const notice = document.getElementById("notice")!;
const balance = document.getElementById("balance")!;
let unmount: (() => void) | undefined;

const app: App = {
  session,
  notify(message, kind = "error") {
    notice.textContent = message;
    notice.className = `notice ${kind}`;
    notice.hidden = false;
  },
  clearNotice() {
    notice.hidden = true;
    notice.textContent = "";
  },
  async refreshBalance() {
    if (!session.signedIn) {
      balance.textContent = "";
      return;
    }
    try {
      const wallet = await session.wallet();
      balance.textContent = `${formatMinor(wallet.balanceMinor, wallet.currencyScale)} ${wallet.currency}`;
      balance.dataset.minor = wallet.balanceMinor;
    } catch (error) {
      app.notify(describeFailure(error));
    }
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
};

function route() {
  unmount?.();
  unmount = undefined;
  app.clearNotice();
  const [name = "lobby", query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const entry = VIEWS[name] ?? VIEWS.lobby!;
  replaceChildren(
    nav,
    session.signedIn
      ? Object.entries(VIEWS).map(([key, { title }]) =>
          h("a", { href: `#/${key}`, "aria-current": key === name ? "page" : undefined }, title),
        )
      : [],
  );
  viewRoot.replaceChildren();
  const params = new URLSearchParams(query);
  unmount = session.signedIn ? entry.view(app, viewRoot, params) : signInView(app, viewRoot, params);
  viewRoot.focus();
  void app.refreshBalance();
}

window.addEventListener("hashchange", route);
route();
