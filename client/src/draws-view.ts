import type { Room } from "@colyseus/sdk";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsSeatView, DrawsStateView } from "../../protocol/draws.ts";
import type { View } from "./app.ts";
import { cardElement } from "./cards.ts";
import { h, replaceChildren, secondsLeft } from "./dom.ts";
import { describeFailure, plainWords, type ServerRefusal } from "./errors.ts";
import { recordCard } from "./fair-log.ts";
import { fairnessPanel } from "./fairness-panel.ts";
import { takeHandedOff } from "./handoff.ts";
import { formatMinor, parseMajor } from "./money.ts";
import { watchConnection } from "./session.ts";

/** The synced draws room as the SDK decodes it. */
type DrawsState = Synced<DrawsStateView>;
type DrawSeat = DrawsSeatView;

const DEFAULT_STAKE = "10.00";

/** Start or join a draws room: quick match by stake, a private challenge, or a friend's code. */
function drawsEntry(app: Parameters<View>[0], root: HTMLElement) {
  const stake = h("input", { id: "dr-stake", inputmode: "decimal", value: DEFAULT_STAKE, "aria-label": "Stake" });
  const code = h("input", {
    id: "dr-code",
    maxlength: 6,
    autocomplete: "off",
    "aria-label": "Challenge code",
    placeholder: "ABC234",
  });
  const go = (query: Record<string, string>) => app.navigate(`#/draws?${new URLSearchParams(query)}`);
  const quick = () => {
    const amount = parseMajor(stake.value);
    if (amount === null) return app.notify("Type a stake such as 10 or 2.50.");
    go({ quick: amount.toString() });
  };
  root.append(
    h(
      "section",
      { class: "panel" },
      h("h1", {}, "Draws"),
      h(
        "p",
        {},
        "Both players stake the same amount; each draws a card; the higher card takes the pot less a 5% rake.",
      ),
      h(
        "div",
        { class: "row" },
        h("div", {}, h("label", { for: "dr-stake" }, "Stake"), stake),
        h("button", { type: "button", id: "dr-quick", onClick: quick }, "Quick match"),
      ),
      h(
        "div",
        { class: "row" },
        h(
          "button",
          { type: "button", id: "dr-challenge", onClick: () => go({ challenge: "1" }) },
          "Challenge a friend",
        ),
        h("div", {}, h("label", { for: "dr-code" }, "Friend's code"), code),
        h(
          "button",
          { type: "button", id: "dr-join", onClick: () => go({ code: code.value.trim().toUpperCase() }) },
          "Join with code",
        ),
      ),
    ),
  );
}

export const drawsView: View = (app, root, params) => {
  if (!params.has("quick") && !params.has("challenge") && !params.has("code") && !params.has("handoff")) {
    drawsEntry(app, root);
    return undefined;
  }
  const myId = app.session.playerId;
  const heading = h("h1", {}, "Draws");
  const status = h("p", { class: "phase", id: "dr-phase", "aria-live": "polite" }, "Finding a room…");
  const timer = h("span", { class: "timer", id: "dr-timer" });
  const invite = h("div", { id: "dr-invite" });
  const board = h("div", { class: "draw-cards", id: "dr-cards" });
  const result = h("p", { class: "result", id: "dr-result", "aria-live": "polite" });
  const controls = h("div", { class: "controls", id: "dr-controls" });
  const fairness = h("section", { class: "panel fair", id: "dr-fair" });
  root.append(
    h(
      "section",
      { class: "panel table" },
      h("div", { class: "table-head" }, heading, status, timer),
      invite,
      board,
      result,
      controls,
    ),
    fairness,
  );
  let room: Room | undefined;
  let state: DrawsState | undefined;
  let left = false;
  let stakeText = "";
  let lastSnapshot = "";
  const recorded = new Set<string>();
  const send = (type: string, payload: object = {}) => room?.send(type, payload);

  const render = () => {
    if (!state) return;
    const seats = [state.seats.get("0"), state.seats.get("1")];
    const mine = seats.find((s) => s?.playerId === myId);
    const other = seats.find((s) => s && s.playerId !== myId);
    const attempts = [...state.attempts];
    const attempt = attempts.at(-1);
    status.textContent = !state.ready
      ? "Waiting for an opponent…"
      : state.phase === "awaiting_stakes"
        ? "Agree a stake"
        : state.phase === "awaiting_draws"
          ? attempts.length > 1
            ? "Tie: draw again"
            : "Draw your card"
          : "Round over";
    replaceChildren(
      invite,
      state.mode === "private" && !state.ready
        ? h("p", {}, "Give your friend this code: ", h("span", { class: "code", id: "dr-room-code" }, state.code))
        : null,
    );
    const cardOf = (seat: DrawSeat | undefined) => {
      if (!seat || !attempt) return cardElement(null);
      const card = seat.seat === 0 ? attempt.card0 : attempt.card1;
      return card >= 0 ? cardElement(card) : cardElement(null);
    };
    replaceChildren(
      board,
      [mine, other].map((seat, i) =>
        h(
          "div",
          { class: "draw-seat", "data-seat": seat?.seat ?? -1 },
          h(
            "div",
            { class: "who" },
            seat ? `${seat.displayName}${i === 0 ? " (you)" : ""}` : "Waiting…",
            seat && !seat.connected ? " — reconnecting…" : "",
          ),
          cardOf(seat),
          seat ? h("div", { class: "muted" }, `Wins ${seat.wins}`) : null,
          seat && seat.offerMinor !== "0" && state!.phase === "awaiting_stakes"
            ? h("div", { class: "bet" }, `Offers ${formatMinor(seat.offerMinor)}`)
            : null,
        ),
      ),
    );
    const buttons: HTMLElement[] = [];
    if (state.ready && mine && state.phase === "awaiting_stakes") {
      const offered = other && other.offerMinor !== "0" ? other.offerMinor : "";
      if (mine.offerMinor !== "0") {
        buttons.push(
          h("p", {}, `You offered ${formatMinor(mine.offerMinor)}: waiting for your opponent.`),
          h("button", { type: "button", class: "secondary", onClick: () => send("withdrawStake") }, "Withdraw"),
        );
      } else if (offered) {
        buttons.push(
          h(
            "button",
            { type: "button", id: "dr-accept", onClick: () => send("stake", { stakeMinor: offered }) },
            `Accept ${formatMinor(offered)}`,
          ),
        );
      } else {
        // A room that plays one stake (quick match, a tournament match) offers exactly that.
        const fixed =
          state.minStakeMinor === state.maxStakeMinor ? formatMinor(state.minStakeMinor).replace(/,/g, "") : "";
        const input = h("input", {
          id: "dr-offer",
          inputmode: "decimal",
          "aria-label": "Stake",
          value: stakeText || fixed || DEFAULT_STAKE,
        });
        input.addEventListener("input", () => {
          stakeText = input.value;
        });
        const offer = () => {
          const amount = parseMajor(input.value);
          if (amount === null) return app.notify("Type a stake such as 10 or 2.50.");
          send("stake", { stakeMinor: amount.toString() });
        };
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter") offer();
        });
        buttons.push(
          h("label", { for: "dr-offer" }, "Stake"),
          input,
          h("button", { type: "button", id: "dr-offer-button", onClick: offer }, "Offer stake"),
          h("span", { class: "muted" }, `${formatMinor(state.minStakeMinor)}–${formatMinor(state.maxStakeMinor)}`),
        );
      }
    } else if (mine && state.phase === "awaiting_draws" && attempt) {
      const drawn = mine.seat === 0 ? attempt.card0 >= 0 : attempt.card1 >= 0;
      buttons.push(
        drawn
          ? h("p", {}, "Waiting for your opponent to draw.")
          : h(
              "button",
              { type: "button", id: "dr-draw", "aria-keyshortcuts": "d", onClick: () => send("draw") },
              "Draw",
            ),
      );
    } else if (mine && state.phase === "settled") {
      buttons.push(h("button", { type: "button", id: "dr-rematch", onClick: () => send("rematch") }, "Rematch"));
    }
    replaceChildren(controls, buttons);
    replaceChildren(
      fairness,
      fairnessPanel({
        game: "draws",
        serverSeedHash: state.serverSeedHash,
        clientSeed: state.clientSeed,
        nonce: state.nonce,
        decks: 1,
        revealed: [...state.revealedSeeds],
        onRotate: mine && state.ready ? () => send("rotateSeed") : undefined,
      }),
    );
    for (const a of attempts) {
      const key = `${a.serverSeedHash}:${a.nonce}`;
      if (a.card0 < 0 || a.card1 < 0 || recorded.has(key)) continue;
      recorded.add(key);
      const shoe = {
        game: "draws" as const,
        serverSeedHash: a.serverSeedHash,
        clientSeed: a.clientSeed,
        nonce: a.nonce,
      };
      recordCard({ ...shoe, decks: 1, firstIndex: 0 }, a.card0);
      recordCard({ ...shoe, decks: 1, firstIndex: 0 }, a.card1);
    }
    tick();
  };

  const tick = () => {
    timer.textContent = state && state.deadline > 0 ? `${secondsLeft(state.deadline)} s` : "";
  };
  const ticker = setInterval(tick, 250);
  const onKey = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLInputElement || event.key.toLowerCase() !== "d") return;
    document.getElementById("dr-draw")?.click();
  };
  document.addEventListener("keydown", onKey);

  const join = async () => {
    const { client } = app.session;
    const handedOff = params.has("handoff") ? takeHandedOff() : undefined;
    if (params.has("handoff") && !handedOff)
      throw new Error("That match is no longer open here: go back to the tournament.");
    const joined = handedOff
      ? handedOff
      : params.has("quick")
        ? await client.joinOrCreate("draws", { mode: "quick", stakeMinor: Number(params.get("quick")) })
        : params.has("challenge")
          ? await client.create("draws", { mode: "private" })
          : await client.join("draws", { mode: "private", code: params.get("code") ?? "" });
    if (left) {
      void joined.leave();
      return;
    }
    room = joined;
    root.dataset.roomId = joined.roomId;
    watchConnection(joined, {
      dropped: () => app.notify("Connection lost: reconnecting…", "info"),
      back: () => app.notify("Reconnected.", "info"),
      gone: (code) => {
        if (!left && code !== 1000 && code !== 4000)
          app.notify("The room closed or the connection could not be recovered.");
      },
    });
    joined.onMessage("error", (refusal: ServerRefusal) => app.notify(plainWords(refusal)));
    // Messages keep their order (patches do not): the result stays up until the next round's stakes are held.
    joined.onMessage("events", (events: { type: string }[]) => {
      if (events.some((event) => event.type === "stakesHeld")) result.textContent = "";
    });
    joined.onMessage("seedRevealed", () => {});
    joined.onMessage(
      "roundSettled",
      (message: { result: { outcome: string; settlement: { seats: { seat: number; netMinor: string }[] } } }) => {
        const mine = state && [...state.seats.values()].find((s) => s.playerId === myId);
        const net = BigInt(message.result.settlement?.seats.find((s) => s.seat === mine?.seat)?.netMinor ?? "0");
        result.textContent =
          message.result.outcome === "push"
            ? "Push: both stakes are back."
            : net > 0n
              ? `You won ${formatMinor(net)}.`
              : `You lost ${formatMinor(-net)}.`;
        void app.refreshBalance();
      },
    );
    joined.onStateChange((next: DrawsState) => {
      state = next;
      // Patches that change nothing the player sees must not rebuild the buttons under their pointer.
      // JSON.stringify calls the decoded state's toJSON.
      const snapshot = JSON.stringify(next);
      if (snapshot === lastSnapshot) return;
      lastSnapshot = snapshot;
      render();
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
