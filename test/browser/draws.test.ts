import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { walletBalance } from "../support/game-server.ts";
import { chromiumAvailable, newPlayer, pageToken, screenshot, signIn, useBrowserSuite } from "./browser.ts";

const STARTING_MINOR = 1_000_000n;
const STAKE_MINOR = 1_000n;

async function drawRound(alice: Page, bob: Page, round: number) {
  for (const page of [alice, bob]) await page.click("#dr-draw");
  for (const page of [alice, bob]) {
    await page.waitForSelector("#dr-result:not(:empty)");
    await page.waitForSelector("#dr-rematch");
  }
  const words = await Promise.all([alice, bob].map((p) => p.textContent("#dr-result")));
  // Both read the same outcome from opposite sides, or both a push.
  const [a, b] = words.map((w) => (w?.startsWith("You won") ? "won" : w?.startsWith("You lost") ? "lost" : "push"));
  expect([a, b].sort(), `round ${round}: ${words.join(" / ")}`).toEqual(
    a === "push" ? ["push", "push"] : ["lost", "won"],
  );
  return a;
}

describe.runIf(chromiumAvailable())("draws between two browsers", () => {
  const suite = useBrowserSuite();

  it("a challenge by code, a stake agreed, both draw, a rematch, and the wallets move by the pot less the rake", async () => {
    const { server, browser } = suite;
    const one = await newPlayer(browser);
    const two = await newPlayer(browser, "phone");
    await signIn(one.page, server.url, "Alice");
    await signIn(two.page, server.url, "Bob");

    await one.page.click("[data-game=draws]");
    await one.page.click("#dr-challenge");
    const code = (await one.page.waitForSelector("#dr-room-code")).textContent();
    expect(await code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);

    await two.page.click("[data-game=draws]");
    await two.page.fill("#dr-code", ((await code) ?? "").toLowerCase());
    await two.page.click("#dr-join");
    await one.page.waitForSelector("text=Agree a stake");

    const outcomes: string[] = [];
    for (let round = 1; round <= 2; round++) {
      if (round === 1) {
        await one.page.fill("#dr-offer", "10");
        await one.page.click("#dr-offer-button");
      } else {
        await one.page.click("#dr-rematch");
      }
      await two.page.click("#dr-accept");
      await two.page.waitForSelector("#dr-draw");
      await one.page.waitForSelector("#dr-draw");
      outcomes.push(await drawRound(one.page, two.page, round));
    }
    await screenshot(one.page, "draws");

    // Each won round pays the winner the pot less 5% and costs the loser the stake; a push moves nothing.
    const rake = (2n * STAKE_MINOR * 500n) / 10_000n;
    let expected = STARTING_MINOR;
    for (const outcome of outcomes) {
      if (outcome === "won") expected += STAKE_MINOR - rake;
      if (outcome === "lost") expected -= STAKE_MINOR;
    }
    expect(await walletBalance(server.url, await pageToken(one.page))).toBe(expected);
    await expect.poll(() => one.page.getAttribute("#balance", "data-minor")).toBe(expected.toString());
    expect(one.errors).toEqual([]);
    expect(two.errors).toEqual([]);
    await one.context.close();
    await two.context.close();
  }, 90_000);
});
