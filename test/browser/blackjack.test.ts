import type { Room } from "@colyseus/sdk";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { chromiumAvailable, launchChromium, newPlayer, screenshot, signIn } from "./browser.ts";
import { until } from "./wait.ts";

interface TableView {
  phase: string;
  round: number;
  turnSeat: number;
  turnActions: Iterable<string>;
  seats: Map<string, { playerId: string; displayName: string; connected: boolean }>;
}

const STARTING_MINOR = 1_000_000n;

/** A spectator over the SDK: the test's independent view of the table the browser plays at. */
async function watch(server: TestServer, roomId: string) {
  const guest = await signInGuest(server.url, "Rail Bird");
  const room: Room = await sdkClient(server.url, guest.token).joinById(roomId, { spectate: true });
  const settled: { seats: { seat: number; net: string }[] }[] = [];
  room.onMessage("roundSettled", (message: { result: { seats: { seat: number; net: string }[] } }) => {
    settled.push(message.result);
  });
  for (const type of ["events", "seedRevealed", "error"]) room.onMessage(type, () => {});
  return { room, settled, state: () => room.state as unknown as TableView };
}

/** The action buttons the page shows right now. */
async function shownActions(page: Page): Promise<string[]> {
  return page.$$eval("#bj-controls [data-action]", (buttons) =>
    buttons.map((b) => b.getAttribute("data-action") ?? "").sort(),
  );
}

/** Plays the browser's hand to the end: hits below 12, otherwise stands, always with the buttons the page shows. */
async function playHand(page: Page, table: () => TableView, seat: number, onTurn?: () => Promise<void>) {
  let turns = 0;
  while (table().phase !== "settled" && table().phase !== "betting") {
    const view = table();
    if (view.phase === "playerTurns" && view.turnSeat === seat) {
      await page.waitForSelector("#bj-controls [data-action=stand]");
      const allowed = [...table().turnActions].sort();
      expect(await shownActions(page)).toEqual(allowed);
      if (turns === 0 && onTurn) await onTurn();
      turns += 1;
      const total = await page.$eval("#bj-seats .seat.mine .hand.active .total", (e) => e.textContent ?? "");
      const action = Number(total.replace(/\D/g, "")) < 12 && allowed.includes("hit") ? "hit" : "stand";
      const before = JSON.stringify([...table().turnActions]) + table().turnSeat;
      await page.click(`#bj-controls [data-action=${action}]`);
      await until(
        "the table to take the action",
        () => JSON.stringify([...table().turnActions]) + table().turnSeat !== before || table().phase !== "playerTurns",
      );
    } else if (view.phase === "insurance" && (await page.$("[data-insurance=decline]"))) {
      await page.click("[data-insurance=decline]");
      await until(
        "the insurance answer",
        async () => !(await page.$("[data-insurance=decline]")) || table().phase !== "insurance",
      );
    } else {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return turns;
}

describe.runIf(chromiumAvailable())("blackjack in the browser", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("signs in as a guest, sits at an empty table and plays a round to its settlement", async () => {
    const { context, page, errors } = await newPlayer(browser);
    await signIn(page, server.url, "Ada");
    await expect.poll(() => page.textContent("#balance")).toContain("10,000.00");
    await screenshot(page, "lobby");

    await page.click("[data-game=blackjack]");
    const roomId = await until("the table", () => page.getAttribute("#view", "data-room-id"));
    const spectator = await watch(server, roomId);
    await until("the seat", () => [...(spectator.state().seats?.values() ?? [])].some((s) => s.displayName === "Ada"));
    const seat = Number([...spectator.state().seats.entries()].find(([, s]) => s.displayName === "Ada")![0]);

    await page.click("#bj-controls .chip >> nth=1"); // five times the minimum
    await page.click("#bj-place-bet");
    await until("the deal", () => spectator.state().phase !== "betting");
    await playHand(page, spectator.state, seat);
    await page.waitForSelector("#bj-result:not(:empty)");
    const result = await until("the settlement", () => spectator.settled[0]);
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
    const proxy: TcpProxy = await startTcpProxy("127.0.0.1", server.server.port);
    try {
      const { context, page, errors } = await newPlayer(browser, "phone");
      const viaProxy = `http://127.0.0.1:${proxy.port}`;
      await signIn(page, viaProxy, "Grace");
      await page.goto(`${viaProxy}/play#/blackjack?new=1`);
      const roomId = await until("the table", () => page.getAttribute("#view", "data-room-id"));
      const spectator = await watch(server, roomId);
      const [seatKey] = await until("the seat", () =>
        [...(spectator.state().seats?.entries() ?? [])].find(([, s]) => s.displayName === "Grace"),
      );
      const seat = Number(seatKey);
      let dropped = false;
      // A round dealt a blackjack has no turn to drop the connection in: play rounds until one has (bounded).
      for (let round = 0; round < 6 && !dropped; round++) {
        await until("the betting", () => spectator.state().phase === "betting");
        await page.click("#bj-place-bet");
        await until("the deal", () => spectator.state().phase !== "betting");
        const settledBefore = spectator.settled.length;
        await playHand(page, spectator.state, seat, async () => {
          await proxy.cut();
          await until(
            "the server to see the drop",
            () => spectator.state().seats.get(String(seat))?.connected === false,
          );
          await proxy.restore();
          await page.waitForSelector("#notice:has-text('Reconnected')");
          await until("the seat back", () => spectator.state().seats.get(String(seat))?.connected === true);
          dropped = true;
        });
        await until("the settlement", () => spectator.settled.length === settledBefore + 1);
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
