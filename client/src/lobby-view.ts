import type { Room } from "@colyseus/sdk";
import type { TournamentSummary } from "../../protocol/tournament.ts";
import type { View } from "./app.ts";
import { h, replaceChildren } from "./dom.ts";
import { describeFailure, plainWords, type ServerRefusal } from "./errors.ts";
import { formatMinor } from "./money.ts";
import type { Profile } from "./session.ts";

export const signInView: View = (app, root) => {
  const name = h("input", {
    id: "display-name",
    name: "displayName",
    required: true,
    maxlength: 32,
    autocomplete: "nickname",
    value: app.session.displayName,
  });
  const form = h(
    "form",
    { class: "panel sign-in" },
    h("h1", {}, "Play at Tablestakes"),
    h("p", {}, "Sign in as a guest: you get a demo wallet of fake cash to play with."),
    h("label", { for: "display-name" }, "Your name"),
    name,
    h("button", { type: "submit" }, "Sign in as guest"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await app.session.signIn(name.value.trim());
      app.navigate("#/lobby");
    } catch (error) {
      app.notify(describeFailure(error));
    }
  });
  root.append(form);
  name.focus();
  return undefined;
};

interface LobbyState {
  games: Iterable<{ room: string; title: string; minPlayers: number; maxPlayers: number }>;
  playersOnline: number;
}

const GAME_BLURB: Record<string, string> = {
  blackjack: "Up to seven seats against the dealer. Sit alone at an empty table or join others.",
  draws: "Head to head: both stake the same, each draws a card, the higher card takes the pot.",
  pool: "8-ball against a friend or practice against the bot (no stake).",
};

export const lobbyView: View = (app, root) => {
  const games = h("ul", { class: "games", "aria-label": "Games on offer" });
  const online = h("p", { class: "muted", "aria-live": "polite" });
  const greeting = h("h1", {}, `Welcome, ${app.session.displayName}`);
  const topUp = h("button", { type: "button", class: "secondary" }, "Top up my demo wallet");
  const tournaments = h("ul", { class: "revealed", id: "lobby-tournaments" });
  root.append(
    h("section", { class: "panel" }, greeting, online, topUp),
    h("section", { class: "panel" }, games),
    h("section", { class: "panel" }, h("h2", {}, h("a", { href: "#/tournaments" }, "Tournaments")), tournaments),
  );
  app.session
    .request<{ tournaments: TournamentSummary[] }>("GET", "/tournaments?status=open")
    .then(({ tournaments: open }) =>
      replaceChildren(
        tournaments,
        open.length === 0
          ? h("li", { class: "muted" }, "None open right now.")
          : open.map((t) =>
              h(
                "li",
                {},
                h("a", { href: `#/tournaments?id=${encodeURIComponent(t.id)}` }, t.name),
                ` — ${t.game}, entry ${formatMinor(t.entryFeeMinor)}, ${t.registered}/${t.seatsMax} registered`,
              ),
            ),
      ),
    )
    .catch((error: unknown) => app.notify(describeFailure(error)));
  let room: Room | undefined;
  let left = false;

  topUp.addEventListener("click", () => room?.send("topUp", {}));
  app.session.client
    .joinOrCreate("lobby")
    .then((joined) => {
      if (left) {
        void joined.leave();
        return;
      }
      room = joined;
      joined.onMessage("profile", (profile: Profile) => {
        greeting.textContent = `Welcome, ${profile.displayName}`;
        void app.refreshBalance();
      });
      joined.onMessage("error", (refusal: ServerRefusal) => app.notify(plainWords(refusal)));
      joined.onStateChange((state: LobbyState) => {
        online.textContent = `${state.playersOnline} player${state.playersOnline === 1 ? "" : "s"} online`;
        replaceChildren(
          games,
          [...state.games].map((game) =>
            h(
              "li",
              { class: "game" },
              h("h2", {}, game.title),
              h("p", {}, GAME_BLURB[game.room] ?? ""),
              h("a", { class: "button", href: `#/${game.room}`, "data-game": game.room }, `Play ${game.title}`),
              game.room === "blackjack"
                ? h("a", { class: "button secondary", href: "#/blackjack?new=1" }, "Empty table")
                : null,
            ),
          ),
        );
      });
    })
    .catch((error: unknown) => {
      app.notify(describeFailure(error));
      if (/sign in/i.test(describeFailure(error))) {
        app.session.signOut();
        app.navigate("#/lobby");
      }
    });
  return () => {
    left = true;
    void room?.leave();
  };
};
