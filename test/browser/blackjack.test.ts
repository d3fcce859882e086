import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { BlackjackRoundSettled, BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import type { TestServer } from "../support/game-server.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { waitFor } from "../support/wait.ts";
import { chromiumAvailable, newPlayer, screenshot, signIn, spectate, useBrowserSuite } from "./browser.ts";

type TableView = Synced<BlackjackStateView>;

const STARTING_MINOR = 1_000_000n;

/** A spectator over the SDK: the test's independent view of the table the browser plays at. */
async function watch(server: TestServer, roomId: string) {
  const room = await spectate<TableView>(server, roomId);
  const settled: BlackjackRoundSettled["result"][] = [];
  room.onMessage("roundSettled", (message: BlackjackRoundSettled) => {
    settled.push(message.result);
  });
  for (const type of ["events", "seedRevealed", "error"]) room.onMessage(type, () => {});
  return { room, settled, state: () => room.state };
}

/** The action buttons the page shows right now. */
async function shownActions(page: Page): Promise<string[]> {
  return page.$$eval("#bj-controls [data-action]", (buttons) =>
    buttons.map((b) => b.getAttribute("data-action") ?? "").sort(),
  );
}

/** Where the round stands: a change in it is something the player may have to answer. */
const moment = (t: TableView) => JSON.stringify([t.phase, t.turnSeat, t.turnHand, [...t.turnActions]]);

/** Plays the browser's hand to the end: hits below 12, otherwise stands, always with the buttons the page shows. */
async function playHand(page: Page, table: () => TableView, seat: number, onTurn?: () => Promise<void>) {
  let turns = 0;
  while (table().phase !== "settled" && table().phase !== "betting") {
    const view = table();
    if (view.phase === "playerTurns" && view.turnSeat === seat) {
      const allowed = [...table().turnActions].sort();
      // The test's spectator may have the patch before the page has drawn it (after a hit, the old buttons are still
      // up for a frame): the page must come to offer exactly this turn's actions.
      let shown: string[] = [];
      await waitFor(
        async () => {
          shown = await shownActions(page);
          return JSON.stringify(shown) === JSON.stringify(allowed);
        },
        `the page to offer exactly ${allowed.join(", ")}`,
        10_000,
      ).catch(() => expect(shown).toEqual(allowed));
      if (turns === 0 && onTurn) await onTurn();
      turns += 1;
      const total = await page.$eval("#bj-seats .seat.mine .hand.active .total", (e) => e.textContent ?? "");
      const action = Number(total.replace(/\D/g, "")) < 12 && allowed.includes("hit") ? "hit" : "stand";
      const before = JSON.stringify([...table().turnActions]) + table().turnSeat;
      await page.click(`#bj-controls [data-action=${action}]`);
      await waitFor(
        () => JSON.stringify([...table().turnActions]) + table().turnSeat !== before || table().phase !== "playerTurns",
        "the table to take the action",
        20_000,
      );
    } else if (view.phase === "insurance" && (await page.$("[data-insurance=decline]"))) {
      await page.click("[data-insurance=decline]");
      await waitFor(
        async () => !(await page.$("[data-insurance=decline]")) || table().phase !== "insurance",
        "the insurance answer",
        20_000,
      );
    } else {
      // Nothing for this player to do yet: wait until the table moves on, or the page offers insurance.
      const seen = moment(view);
      await waitFor(
        async () =>
          moment(table()) !== seen ||
          (table().phase === "insurance" && (await page.$("[data-insurance=decline]")) !== null),
        "the table to move on",
        30_000,
      );
    }
  }
  return turns;
}

describe.runIf(chromiumAvailable())("blackjack in the browser", () => {
  const suite = useBrowserSuite();

  it("signs in as a guest, sits at an empty table and plays a round to its settlement", async () => {
    const { server, browser } = suite;
    const { context, page, errors } = await newPlayer(browser);
    await signIn(page, server.url, "Ada");
    await expect.poll(() => page.textContent("#balance")).toContain("10,000.00");
    await screenshot(page, "lobby");

    await page.click("[data-game=blackjack]");
    const roomId = await waitFor(() => page.getAttribute("#view", "data-room-id"), "the table", 20_000);
    const spectator = await watch(server, roomId);
    await waitFor(
      () => [...(spectator.state().seats?.values() ?? [])].some((s) => s.displayName === "Ada"),
      "the seat",
      20_000,
    );
    const seat = Number([...spectator.state().seats.entries()].find(([, s]) => s.displayName === "Ada")![0]);

    await page.click("#bj-controls .chip >> nth=1"); // five times the minimum
    await page.click("#bj-place-bet");
    await waitFor(() => spectator.state().phase !== "betting", "the deal", 20_000);
    await playHand(page, spectator.state, seat);
    await page.waitForSelector("#bj-result:not(:empty)");
    const result = await waitFor(() => spectator.settled[0], "the settlement", 20_000);
    const net = BigInt(result.seats.find((s) => s.seat === seat)!.net);
    const words = (await page.textContent("#bj-result")) ?? "";
    expect(words).toMatch(net > 0n ? /You won/ : net < 0n ? /You lost/ : /Push/);
    await expect.poll(() => page.getAttribute("#balance", "data-minor")).toBe((STARTING_MINOR + net).toString());
    await screenshot(page, "blackjack");
    expect(errors).toEqual([]);
    await spectator.room.leave();
    await context.close();
  }, 90_000);

  it("a connection dropped mid-hand reconnects on its own and the hand goes on", async () => {
    const { server, browser } = suite;
    const proxy: TcpProxy = await startTcpProxy("127.0.0.1", server.server.port);
    try {
      const { context, page, errors } = await newPlayer(browser, "phone");
      const viaProxy = `http://127.0.0.1:${proxy.port}`;
      await signIn(page, viaProxy, "Grace");
      await page.goto(`${viaProxy}/play#/blackjack?new=1`);
      const roomId = await waitFor(() => page.getAttribute("#view", "data-room-id"), "the table", 20_000);
      const spectator = await watch(server, roomId);
      const [seatKey] = await waitFor(
        () => [...(spectator.state().seats?.entries() ?? [])].find(([, s]) => s.displayName === "Grace"),
        "the seat",
        20_000,
      );
      const seat = Number(seatKey);
      let dropped = false;
      // A round dealt a blackjack has no turn to drop the connection in: play rounds until one has (bounded).
      for (let round = 0; round < 6 && !dropped; round++) {
        await waitFor(() => spectator.state().phase === "betting", "the betting", 20_000);
        await page.click("#bj-place-bet");
        await waitFor(() => spectator.state().phase !== "betting", "the deal", 20_000);
        const settledBefore = spectator.settled.length;
        await playHand(page, spectator.state, seat, async () => {
          await proxy.cut();
          await waitFor(
            () => spectator.state().seats.get(String(seat))?.connected === false,
            "the server to see the drop",
            20_000,
          );
          await proxy.restore();
          await page.waitForSelector("#notice:has-text('Reconnected')");
          await waitFor(() => spectator.state().seats.get(String(seat))?.connected === true, "the seat back", 20_000);
          dropped = true;
        });
        await waitFor(() => spectator.settled.length === settledBefore + 1, "the settlement", 20_000);
      }
      expect(dropped).toBe(true);
      await page.waitForSelector("#bj-result:not(:empty)");
      await screenshot(page, "blackjack-reconnected-phone");
      expect(errors).toEqual([]);
      await spectator.room.leave();
      await context.close();
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
