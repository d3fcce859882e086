import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, newPlayer, screenshot, signIn, useBrowserSuite } from "./browser.ts";

describe.runIf(chromiumAvailable())("a tournament in the browser", () => {
  const suite = useBrowserSuite();

  it("two players register, get their match from the lobby, play it in the draws view and see the bracket", async () => {
    const { server, browser } = suite;
    const created = await fetch(`${server.url}/tournaments`, {
      method: "POST",
      headers: { "content-type": "application/json", ...server.operator },
      body: JSON.stringify({
        name: "Heads-up Draws",
        game: "draws",
        entryFeeMinor: 500,
        seatsMin: 2,
        seatsMax: 2,
        prizeBps: [10_000],
        startWhenFull: true,
        matchOptions: { stakeMinor: 100, drawSeconds: 20 },
        noShowSeconds: 60,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const one = await newPlayer(browser);
    const two = await newPlayer(browser, "phone");
    const players: Page[] = [one.page, two.page];
    await signIn(one.page, server.url, "Ana");
    await signIn(two.page, server.url, "Ben");
    for (const page of players) {
      await page.click("#nav >> text=Tournaments");
      await page.click(`[data-tournament="${id}"] .tn-register`);
      await page.click(`[data-tournament="${id}"] >> text=Open`);
    }
    for (const page of players) await page.waitForSelector("#tn-play", { timeout: 30_000 });
    await screenshot(one.page, "tournament");
    for (const page of players) await page.click("#tn-play");

    await one.page.waitForSelector("#dr-offer-button");
    expect(await one.page.inputValue("#dr-offer")).toBe("1.00");
    await one.page.click("#dr-offer-button");
    await two.page.click("#dr-accept");
    for (const page of players) await page.click("#dr-draw");
    // A tie (3 deals in 51) starts another attempt, which the room draws for both once its draw timer (20 s) is up.
    const results = await Promise.all(
      players.map(async (page) =>
        (await page.waitForSelector("#dr-result:not(:empty)", { timeout: 60_000 })).textContent(),
      ),
    );
    // A tie redraws, so the single round ends with one winner and one loser.
    expect(results.map((r) => (r?.startsWith("You won") ? "won" : "lost")).sort()).toEqual(["lost", "won"]);

    // The bracket shows the winner once the tournament has read the result.
    await one.page.goto(`${server.url}/play#/tournaments?id=${id}`);
    await one.page.waitForSelector("#tn-bracket .winner", { timeout: 30_000 });
    const winner = await one.page.textContent("#tn-bracket .winner");
    expect(winner).toBe(results[0]?.startsWith("You won") ? "Ana" : "Ben");
    expect(one.errors).toEqual([]);
    expect(two.errors).toEqual([]);
    await one.context.close();
    await two.context.close();
  }, 120_000);
});
