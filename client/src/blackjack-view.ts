import type { Room } from "@colyseus/sdk";
import type { View } from "./app.ts";
import { cardElement } from "./cards.ts";
import { h, replaceChildren, secondsLeft } from "./dom.ts";
import { describeFailure, plainWords, type ServerRefusal } from "./errors.ts";
import { recordCard, revealHoleCard } from "./fair-log.ts";
import { fairnessPanel, type RevealedSeed } from "./fairness-panel.ts";
import { formatMinor, parseMajor } from "./money.ts";
import { watchConnection } from "./session.ts";

/** The synced BlackjackTable (rooms/blackjack/table-state.ts) as the SDK decodes it. */
interface HandView {
  cards: Iterable<number>;
  total: number;
  soft: boolean;
  stakeMinor: string;
  doubled: boolean;
  status: string;
}
interface SeatView {
  seat: number;
  playerId: string;
  displayName: string;
  connected: boolean;
  betMinor: string;
  insurance: string;
  hands: Iterable<HandView>;
  lastNetMinor: string;
}
interface TableView {
  phase: string;
  round: number;
  seats: Map<string, SeatView>;
  dealerCards: Iterable<number>;
  dealerHiddenCards: number;
  dealerTotal: number;
  turnSeat: number;
  turnHand: number;
  turnActions: Iterable<string>;
  deadline: number;
  minBetMinor: string;
  maxBetMinor: string;
  rulesPreset: string;
  shoeTotal: number;
  shoeDealt: number;
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  revealedSeeds: Iterable<RevealedSeed>;
}
type TableEvent =
  | { type: "cardDealt"; to: "seat"; seat: number; card: number }
  | { type: "cardDealt"; to: "dealer"; card?: number; faceDown: boolean }
  | { type: "holeCardRevealed"; card: number }
  | { type: string };

const SEATS = 7;
const PHASE_WORDS: Record<string, string> = {
  betting: "Place your bets",
  insurance: "Insurance?",
  playerTurns: "Players' turns",
  settled: "Round over",
};
const ACTION_KEYS: Record<string, string> = { hit: "h", stand: "s", double: "d", split: "p", surrender: "r" };
const HAND_STATUS: Record<string, string> = {
  busted: "bust",
  blackjack: "blackjack!",
  surrendered: "surrendered",
  doubled: "doubled",
  stood: "stood",
  evenMoney: "even money",
};

export const blackjackView: View = (app, root, params) => {
  const myId = app.session.playerId;
  const status = h("p", { class: "phase", id: "bj-phase", "aria-live": "polite" }, "Finding a table…");
  const timer = h("span", { class: "timer", id: "bj-timer" });
  const dealer = h("div", { class: "dealer", id: "bj-dealer", "aria-label": "Dealer" });
  const seats = h("ol", { class: "seats", id: "bj-seats" });
  const controls = h("div", { class: "controls", id: "bj-controls" });
  const result = h("p", { class: "result", id: "bj-result", "aria-live": "polite" });
  const fairness = h("section", { class: "panel fair", id: "bj-fair" });
  root.append(
    h(
      "section",
      { class: "panel table blackjack" },
      h("div", { class: "table-head" }, h("h1", {}, "Blackjack"), status, timer),
      dealer,
      seats,
      result,
      controls,
    ),
    fairness,
  );

  let room: Room | undefined;
  let state: TableView | undefined;
  let left = false;
  let betText = "";
  let renderQueued = false;
  const send = (type: string, payload: object = {}) => room?.send(type, payload);

  const render = () => {
    renderQueued = false;
    if (!state) return;
    const mine = [...state.seats.values()].find((seat) => seat.playerId === myId);
    status.textContent = PHASE_WORDS[state.phase] ?? state.phase;
    replaceChildren(
      dealer,
      h("span", { class: "label" }, "Dealer"),
      h(
        "span",
        { class: "cards" },
        [...state.dealerCards].map((card) => cardElement(card)),
        Array.from({ length: state.dealerHiddenCards }, () => cardElement(null)),
      ),
      state.dealerTotal > 0 ? h("span", { class: "total" }, String(state.dealerTotal)) : null,
    );
    const seatItems = [];
    for (let index = 0; index < SEATS; index++) {
      const seat = state.seats.get(String(index));
      if (!seat) {
        seatItems.push(
          h(
            "li",
            { class: "seat empty" },
            mine
              ? "Empty seat"
              : h("button", { type: "button", onClick: () => send("sit", { seat: index }) }, "Sit here"),
          ),
        );
        continue;
      }
      const turn = state.phase === "playerTurns" && state.turnSeat === index;
      seatItems.push(
        h(
          "li",
          {
            class: `seat${seat.playerId === myId ? " mine" : ""}${turn ? " turn" : ""}`,
            "data-seat": index,
          },
          h(
            "div",
            { class: "who" },
            seat.displayName,
            seat.playerId === myId ? " (you)" : "",
            seat.connected ? "" : " — reconnecting…",
          ),
          seat.betMinor !== "0" ? h("div", { class: "bet" }, `Bet ${formatMinor(seat.betMinor)}`) : null,
          [...seat.hands].map((hand, handIndex) =>
            h(
              "div",
              { class: `hand${turn && state!.turnHand === handIndex ? " active" : ""}` },
              h(
                "span",
                { class: "cards" },
                [...hand.cards].map((card) => cardElement(card)),
              ),
              h("span", { class: "total" }, `${hand.soft ? "soft " : ""}${hand.total}`),
              HAND_STATUS[hand.status] ? h("span", { class: "status" }, HAND_STATUS[hand.status]) : null,
            ),
          ),
          state.phase === "settled" && seat.lastNetMinor !== "0"
            ? h(
                "div",
                { class: Number(seat.lastNetMinor) > 0 ? "net win" : "net lose" },
                `${Number(seat.lastNetMinor) > 0 ? "+" : ""}${formatMinor(seat.lastNetMinor)}`,
              )
            : null,
        ),
      );
    }
    replaceChildren(seats, seatItems);
    renderControls(mine);
    replaceChildren(
      fairness,
      fairnessPanel({
        game: "blackjack",
        serverSeedHash: state.serverSeedHash,
        clientSeed: state.clientSeed,
        nonce: state.nonce,
        decks: Math.max(1, Math.round(state.shoeTotal / 52)),
        revealed: [...state.revealedSeeds],
        onRotate: mine ? () => send("rotateSeed") : undefined,
      }),
    );
    tick();
  };

  const renderControls = (mine: SeatView | undefined) => {
    if (!state) return;
    if (!mine) {
      replaceChildren(controls, h("p", {}, "You are watching. Pick an empty seat to play."));
      return;
    }
    const buttons: HTMLElement[] = [];
    if (state.phase === "betting" && mine.betMinor === "0") {
      const min = BigInt(state.minBetMinor);
      const chips = [min, min * 5n, min * 10n, min * 25n].filter((c) => c <= BigInt(state!.maxBetMinor));
      const input = h("input", {
        id: "bj-bet",
        inputmode: "decimal",
        "aria-label": "Bet amount",
        value: betText || formatMinor(min).replace(/,/g, ""),
      });
      input.addEventListener("input", () => {
        betText = input.value;
      });
      const placeBet = () => {
        const amount = parseMajor(input.value);
        if (amount === null) {
          app.notify("Type an amount such as 5 or 12.50.");
          return;
        }
        betText = input.value;
        send("bet", { amountMinor: amount.toString() });
      };
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") placeBet();
      });
      buttons.push(
        h(
          "div",
          { class: "chips", role: "group", "aria-label": "Chips" },
          chips.map((chip) =>
            h(
              "button",
              {
                type: "button",
                class: "chip",
                onClick: () => {
                  betText = formatMinor(chip).replace(/,/g, "");
                  input.value = betText;
                },
              },
              formatMinor(chip),
            ),
          ),
        ),
        h("label", { for: "bj-bet" }, "Bet"),
        input,
        h("button", { type: "button", id: "bj-place-bet", onClick: placeBet }, "Place bet"),
        h("span", { class: "muted" }, `Limits ${formatMinor(state.minBetMinor)}–${formatMinor(state.maxBetMinor)}`),
      );
    } else if (state.phase === "insurance" && mine.insurance === "pending") {
      buttons.push(
        h(
          "button",
          { type: "button", "data-insurance": "take", onClick: () => send("insurance", { take: true }) },
          "Take insurance",
        ),
        h(
          "button",
          { type: "button", "data-insurance": "decline", onClick: () => send("insurance", { take: false }) },
          "No insurance",
        ),
      );
    } else if (state.phase === "playerTurns" && state.turnSeat === mine.seat) {
      for (const action of state.turnActions) {
        buttons.push(
          h(
            "button",
            {
              type: "button",
              "data-action": action,
              "aria-keyshortcuts": ACTION_KEYS[action],
              onClick: () => send(action),
            },
            action[0]!.toUpperCase() + action.slice(1),
          ),
        );
      }
    } else if (state.phase === "betting") {
      buttons.push(h("p", {}, "Bet placed: waiting for the deal."));
    } else {
      buttons.push(h("p", {}, state.phase === "playerTurns" ? "Waiting for the other players." : ""));
    }
    if (state.phase === "betting" || state.phase === "settled") {
      buttons.push(h("button", { type: "button", class: "secondary", onClick: () => send("standUp") }, "Stand up"));
    }
    replaceChildren(controls, buttons);
  };

  const tick = () => {
    timer.textContent = state && state.deadline > 0 ? `${secondsLeft(state.deadline)} s` : "";
  };
  const ticker = setInterval(tick, 250);

  const onKey = (event: KeyboardEvent) => {
    if (!state || event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
    const action = [...state.turnActions].find((a) => ACTION_KEYS[a] === event.key.toLowerCase());
    const mine = [...state.seats.values()].find((seat) => seat.playerId === myId);
    if (action && mine && state.phase === "playerTurns" && state.turnSeat === mine.seat) send(action);
  };
  document.addEventListener("keydown", onKey);

  const record = (events: TableEvent[]) => {
    if (!state) return;
    const shoe = {
      game: "blackjack" as const,
      serverSeedHash: state.serverSeedHash,
      clientSeed: state.clientSeed,
      nonce: state.nonce - 1,
      decks: Math.max(1, Math.round(state.shoeTotal / 52)),
    };
    // Events arrive after the patch that carries them, so the state already counts the cards they deal.
    let dealt = state.shoeDealt - events.filter((event) => event.type === "cardDealt").length;
    for (const event of events) {
      if (event.type === "cardDealt") {
        const card = "card" in event && typeof event.card === "number" ? event.card : null;
        recordCard({ ...shoe, firstIndex: dealt }, card);
        dealt += 1;
      } else if (event.type === "holeCardRevealed" && "card" in event) {
        revealHoleCard(shoe.serverSeedHash, shoe.nonce, event.card as number);
      }
    }
  };

  const join = async () => {
    const options = { spectate: params.get("watch") === "1" };
    const id = params.get("room");
    const joined = id
      ? await app.session.client.joinById(id, options)
      : params.get("new") === "1"
        ? await app.session.client.create("blackjack", {})
        : await app.session.client.joinOrCreate("blackjack", options);
    if (left) {
      void joined.leave();
      return;
    }
    room = joined;
    root.dataset.roomId = joined.roomId;
    watchConnection(joined, {
      dropped: () => app.notify("Connection lost: reconnecting…", "info"),
      back: () => {
        app.notify("Reconnected: the hand goes on.", "info");
        root.dataset.reconnected = String(Number(root.dataset.reconnected ?? "0") + 1);
      },
      gone: (code) => {
        if (!left && code !== 1000 && code !== 4000)
          app.notify("You left the table: the connection could not be recovered.");
      },
    });
    joined.onMessage("error", (refusal: ServerRefusal) => app.notify(plainWords(refusal)));
    joined.onMessage("events", (events: TableEvent[]) => record(events));
    joined.onMessage("roundSettled", (message: { result: { seats: { seat: number; net: string }[] } }) => {
      const mine = state && [...state.seats.values()].find((seat) => seat.playerId === myId);
      const seat = mine && message.result.seats.find((s) => s.seat === mine.seat);
      if (seat) {
        const net = BigInt(seat.net);
        result.textContent =
          net > 0n
            ? `You won ${formatMinor(net)}.`
            : net < 0n
              ? `You lost ${formatMinor(-net)}.`
              : "Push: your bet is back.";
      }
      void app.refreshBalance();
    });
    joined.onMessage("seedRevealed", () => {});
    joined.onStateChange((next: TableView) => {
      state = next;
      if (state.phase === "betting")
        result.textContent = result.textContent && state.round > 0 ? result.textContent : "";
      if (!renderQueued) {
        renderQueued = true;
        requestAnimationFrame(render);
      }
    });
  };
  join().catch((error: unknown) => app.notify(describeFailure(error)));

  return () => {
    left = true;
    clearInterval(ticker);
    document.removeEventListener("keydown", onKey);
    void room?.leave();
  };
};
