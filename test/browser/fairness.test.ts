import { describe, expect, it } from "vitest";
import { cardCode } from "../../client/src/card-code.ts";
import { recomputeShoe } from "../../simulation/rng/verify.ts";
import { chromiumAvailable, newPlayer, screenshot, signIn, useBrowserSuite } from "./browser.ts";

describe.runIf(chromiumAvailable())("verifying a revealed shoe in the browser", () => {
  const suite = useBrowserSuite();

  it("the commitment is shown before play; after the reveal the browser recomputes the shoe and finds every card it saw", async () => {
    const { server, browser } = suite;
    const { context, page, errors } = await newPlayer(browser);
    await signIn(page, server.url, "Claude Shannon");
    await page.goto(`${server.url}/play#/blackjack?new=1`);
    await page.waitForSelector("#bj-place-bet");
    const commitment = (await page.textContent("#fair-commitment"))?.trim() ?? "";
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);

    await page.click("#fair-rotate");
    await page.click("#bj-place-bet");
    // Decline insurance, then stand on whatever comes (a dealt blackjack ends the round with no turn).
    await page.waitForSelector("#bj-result:not(:empty), [data-action=stand], [data-insurance=decline]");
    if (await page.$("[data-insurance=decline]")) {
      await page.click("[data-insurance=decline]");
      await page.waitForSelector("#bj-result:not(:empty), [data-action=stand]");
    }
    if (await page.$("[data-action=stand]")) await page.click("[data-action=stand]");
    await page.waitForSelector("#bj-result:not(:empty)");
    // The seed is revealed when the next round opens.
    const link = await page.waitForSelector(".verify-link", { timeout: 15_000 });
    const href = (await link.getAttribute("href")) ?? "";
    const query = new URLSearchParams(href.split("?")[1]);
    expect(query.get("commitment")).toBe(commitment);
    await link.click();

    await page.waitForSelector("#fv-summary");
    expect(await page.getAttribute("#fv-hash-verdict", "class")).toBe("good");
    expect(await page.getAttribute("#fv-summary", "class")).toContain("good");
    const summary = (await page.textContent("#fv-summary")) ?? "";
    const seen = Number(/(\d+) cards/.exec(summary)?.[1]);
    expect(seen).toBeGreaterThanOrEqual(3); // two to the player, the dealer's up card, and more as they came

    // The browser's WebCrypto shuffle agrees with the server's own verifier, card for card.
    const shown = ((await page.getAttribute("[data-nonce='0']", "data-cards")) ?? "").split(" ");
    const server_side = recomputeShoe(
      { serverSeed: query.get("serverSeed")!, clientSeed: query.get("clientSeed")!, nonce: 0 },
      Number(query.get("decks")),
    )
      .slice(0, shown.length)
      .map(cardCode);
    expect(shown).toEqual(server_side);
    await screenshot(page, "fairness");

    // A seed that does not match its commitment is called out.
    await page.fill("#fv-commitment", "0".repeat(64));
    await page.click("#fv-run");
    await page.waitForSelector("#fv-hash-verdict.bad");
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
