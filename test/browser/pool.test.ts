import { describe, expect, it } from "vitest";
import type { Synced } from "../../protocol/common.ts";
import type { PoolShot, PoolStateView } from "../../protocol/pool.ts";
import { walletBalance } from "../support/game-server.ts";
import { waitFor } from "../support/wait.ts";
import { chromiumAvailable, newPlayer, pageToken, screenshot, signIn, spectate, useBrowserSuite } from "./browser.ts";

const SHOTS = 3;

describe.runIf(chromiumAvailable())("pool in the browser against the bot", () => {
  const suite = useBrowserSuite();

  it("a practice match's first shots animate from the keyframes and end exactly on the server's settled table", async () => {
    const { server, browser } = suite;
    const { context, page, errors } = await newPlayer(browser);
    await signIn(page, server.url, "Minnesota");
    await page.click("[data-game=pool]");
    await page.click("[data-bot=easy]");
    await page.waitForSelector("#pl-practice");
    const url = new URL(page.url().replace("#/pool?", "?"));
    const roomId = url.searchParams.get("room")!;
    const code = url.searchParams.get("code")!;
    const watcher = await spectate<Synced<PoolStateView>>(server, roomId, { code });
    const table = () => watcher.state;
    const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
    // A shot's message follows the patch that settled it, so the synced table is read as the message arrives: the
    // opponent may shoot again while this browser is still animating.
    const shots: (PoolShot & { synced: { id: number; x: number; y: number }[] })[] = [];
    watcher.onMessage("shot", (shot: PoolShot) =>
      shots.push({ ...shot, synced: [...table().balls].map((b) => ({ id: b.id, x: b.x, y: b.y })).sort(byId) }),
    );
    for (const type of ["matchStarted", "decision", "timeout", "matchOver", "error"]) watcher.onMessage(type, () => {});

    await page.click("#pl-accept");
    await waitFor(() => table().phase === "playing", "the break", 20_000);
    expect(table().stakeMinor).toBe("0");
    const me = Number([...table().seats.entries()].find(([, s]) => s.displayName === "Minnesota")![0]);

    for (let n = 1; n <= SHOTS; n++) {
      // Until shot n is played: answer a decision the break left this player, and take this player's shots.
      await waitFor(
        async () => {
          if (shots.length >= n) return true;
          const view = table();
          if (view.phase !== "playing" || view.shooter !== me || view.shotInProgress || view.deadline === 0)
            return false;
          if (view.decisionReason) {
            if (await page.$("#pl-accept-table")) await page.click("#pl-accept-table");
            return false;
          }
          if (!(await page.$("#pl-shoot:not([disabled])"))) return false;
          // Aim along +x (the rack lies that way from the kitchen) with the keyboard, firm for the break.
          await page.fill("#pl-power", n === 1 ? "75" : "40");
          await page.focus("#pl-canvas");
          await page.keyboard.press("Space");
          await waitFor(() => table().shotInProgress || shots.length >= n, "the shot to be taken", 10_000);
          return false;
        },
        `shot ${n}`,
        60_000,
      );
      const shot = shots[n - 1]!;
      await page.waitForSelector(`#pl-canvas[data-animated-shot="${shot.shotNumber}"]`, { timeout: 30_000 });
      const drawn = JSON.parse((await page.getAttribute("#pl-canvas", "data-drawn"))!) as {
        id: number;
        x: number;
        y: number;
      }[];
      // The last frame is the settled table of the shot message to the bit; the synced state holds the same table
      // as @colyseus/schema sends a fractional number, in float32.
      expect(drawn.sort(byId)).toEqual(shot.balls.map(([id, x, y]) => ({ id, x, y })).sort(byId));
      expect(drawn.map((b) => ({ id: b.id, x: Math.fround(b.x), y: Math.fround(b.y) }))).toEqual(shot.synced);
      // The keyframes themselves end on it (the server may nudge a ball out of a jaw by well under a millimetre).
      expect(Number(await page.getAttribute("#pl-canvas", "data-end-gap-m"))).toBeLessThan(1e-3);
      const frames = Number(await page.getAttribute("#pl-canvas", "data-frames"));
      const fps = frames / shot.totalTimeS;
      console.log(`shot ${n}: ${shot.totalTimeS.toFixed(2)} s animated in ${frames} frames (${fps.toFixed(0)} fps)`);
      expect(fps).toBeGreaterThan(15);
      if (n === 1) await screenshot(page, "pool");
    }
    // Practice moves no money.
    expect(await walletBalance(server.url, await pageToken(page))).toBe(1_000_000n);
    expect(errors).toEqual([]);
    await watcher.leave();
    await context.close();
  }, 180_000);
});
