import type { Room } from "@colyseus/sdk";
import type {
  TournamentDetail,
  TournamentMatchView,
  TournamentSummary,
  YourMatchMessage,
} from "../../protocol/tournament.ts";
import type { App, View } from "./app.ts";
import { h, replaceChildren, secondsLeft } from "./dom.ts";
import { describeFailure, plainWords, type ServerRefusal } from "./errors.ts";
import { handOff } from "./handoff.ts";
import { formatMinor } from "./money.ts";

const STATUS_WORDS: Record<string, string> = {
  scheduled: "Opens soon",
  registering: "Registering",
  running: "Running",
  finished: "Finished",
  cancelled: "Cancelled",
};

async function register(app: App, id: string, join: boolean, after: () => void) {
  try {
    await app.session.request(join ? "POST" : "DELETE", `/tournaments/${encodeURIComponent(id)}/registration`);
    void app.refreshBalance();
    after();
  } catch (error) {
    app.notify(describeFailure(error));
  }
}

function listView(app: App, root: HTMLElement) {
  const list = h("div", { id: "tn-list" }, "Loading…");
  root.append(h("section", { class: "panel" }, h("h1", {}, "Tournaments"), list));
  const load = async () => {
    try {
      const [open, running] = await Promise.all(
        ["open", "running"].map((status) =>
          app.session.request<{ tournaments: TournamentSummary[] }>("GET", `/tournaments?status=${status}`),
        ),
      );
      const all = [...open!.tournaments, ...running!.tournaments];
      replaceChildren(
        list,
        all.length === 0
          ? h("p", { class: "muted" }, "No tournament is open right now.")
          : h(
              "ul",
              { class: "games" },
              all.map((t) =>
                h(
                  "li",
                  { class: "game", "data-tournament": t.id },
                  h("h2", {}, t.name),
                  h(
                    "p",
                    {},
                    `${t.game === "pool" ? "8-Ball" : "Draws"}${t.bestOf > 1 ? `, best of ${t.bestOf}` : ""} — ${STATUS_WORDS[t.status] ?? t.status}. Entry ${formatMinor(t.entryFeeMinor)}, ${t.registered}/${t.seatsMax} registered, prize pool ${formatMinor(t.prizePoolMinor)}.`,
                  ),
                  t.status === "registering"
                    ? h(
                        "button",
                        { type: "button", class: "tn-register", onClick: () => void register(app, t.id, true, load) },
                        "Register",
                      )
                    : null,
                  h("a", { class: "button secondary", href: `#/tournaments?id=${encodeURIComponent(t.id)}` }, "Open"),
                ),
              ),
            ),
      );
    } catch (error) {
      app.notify(describeFailure(error));
    }
  };
  void load();
}

/** The bracket as rounds of matches, from what the tournament stores (the third-place match is round −1). */
function bracket(detail: TournamentDetail, myId: string): HTMLElement {
  const names = new Map(detail.entries.map((e) => [e.playerId, e.displayName]));
  const rounds = new Map<number, TournamentMatchView[]>();
  for (const match of detail.matches) rounds.set(match.round, [...(rounds.get(match.round) ?? []), match]);
  const order = [...rounds.keys()].sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : a - b));
  const who = (match: TournamentMatchView, i: 0 | 1) => {
    const id = match.players[i];
    if (id) return names.get(id) ?? "?";
    return match.seeds[i] === null ? "bye" : "—";
  };
  return h(
    "div",
    { class: "bracket", id: "tn-bracket" },
    order.map((round) =>
      h(
        "div",
        { class: "round" },
        h("h3", {}, round < 0 ? "Third place" : `Round ${round}`),
        rounds
          .get(round)!
          .sort((a, b) => a.slot - b.slot)
          .map((match) =>
            h(
              "div",
              { class: `match ${match.status}`, "data-match": match.matchId },
              ([0, 1] as const).map((i) =>
                h(
                  "div",
                  {
                    class: `${match.winnerPlayerId && match.winnerPlayerId === match.players[i] ? "winner" : ""}${match.players[i] === myId ? " me" : ""}`,
                  },
                  who(match, i),
                ),
              ),
            ),
          ),
      ),
    ),
  );
}

function detailView(app: App, root: HTMLElement, id: string) {
  const myId = app.session.playerId;
  const head = h("div", { id: "tn-head" });
  const yours = h("div", { id: "tn-yours", "aria-live": "polite" });
  const body = h("div", { id: "tn-body" });
  root.append(h("section", { class: "panel" }, head, yours, body));
  let room: Room | undefined;
  let left = false;
  let pending: YourMatchMessage | undefined;
  let loading = false;

  const load = async () => {
    if (loading) return;
    loading = true;
    try {
      const detail = await app.session.request<TournamentDetail>("GET", `/tournaments/${encodeURIComponent(id)}`);
      const mine = detail.entries.find((e) => e.playerId === myId);
      replaceChildren(
        head,
        h("h1", {}, detail.name),
        h(
          "p",
          {},
          `${STATUS_WORDS[detail.status] ?? detail.status} — entry ${formatMinor(detail.entryFeeMinor)}, ${detail.registered}/${detail.seatsMax} players, prize pool ${formatMinor(detail.prizePoolMinor)}.`,
        ),
        mine?.place
          ? h(
              "p",
              { class: "good" },
              `You finished ${mine.place}${mine.prizeMinor ? `, prize ${formatMinor(mine.prizeMinor)}` : ""}.`,
            )
          : null,
        detail.status === "registering" && !mine
          ? h(
              "button",
              { type: "button", id: "tn-register", onClick: () => void register(app, id, true, load) },
              "Register",
            )
          : null,
        detail.status === "registering" && mine
          ? h(
              "button",
              { type: "button", class: "secondary", onClick: () => void register(app, id, false, load) },
              "Withdraw",
            )
          : null,
      );
      replaceChildren(
        body,
        detail.matches.length > 0
          ? bracket(detail, myId)
          : h(
              "ul",
              {},
              detail.entries.map((e) => h("li", {}, e.displayName)),
            ),
      );
    } catch (error) {
      app.notify(describeFailure(error));
    } finally {
      loading = false;
    }
  };

  const showYourMatch = () => {
    if (!pending) return replaceChildren(yours);
    const message = pending;
    replaceChildren(
      yours,
      h(
        "p",
        { class: "practice" },
        `Your round ${message.round} match is ready: take your seat within ${secondsLeft(message.showDeadline)} s or it is forfeited. `,
        h(
          "button",
          {
            type: "button",
            id: "tn-play",
            onClick: async () => {
              try {
                const seat = await app.session.client.consumeSeatReservation(message.reservation as never);
                handOff(seat);
                app.navigate(`#/${message.roomName}?handoff=1`);
              } catch (error) {
                app.notify(describeFailure(error));
              }
            },
          },
          "Play my match",
        ),
      ),
    );
  };
  const ticker = setInterval(showYourMatch, 1000);

  app.session.client
    .joinOrCreate("tournament", { tournamentId: id })
    .then((joined) => {
      if (left) return void joined.leave();
      room = joined;
      joined.onMessage("error", (refusal: ServerRefusal) => app.notify(plainWords(refusal)));
      joined.onMessage("yourMatch", (message: YourMatchMessage) => {
        pending = message;
        showYourMatch();
      });
      joined.onStateChange(() => void load());
    })
    .catch((error: unknown) => app.notify(describeFailure(error)));
  void load();
  return () => {
    left = true;
    clearInterval(ticker);
    void room?.leave();
  };
}

export const tournamentsView: View = (app, root, params) => {
  const id = params.get("id");
  if (!id) {
    listView(app, root);
    return undefined;
  }
  return detailView(app, root, id);
};
