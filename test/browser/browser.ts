import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { Room } from "@colyseus/sdk";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
// A test run writes its screenshots where git ignores them, so `npm test` changes no tracked file;
// `npm run screenshots` points this at docs/screenshots, the pictures the README shows.
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR
  ? `${resolve(process.env.SCREENSHOT_DIR)}/`
  : new URL("../../test-results/screenshots/", import.meta.url).pathname;
const inCi = process.env.CI === "true" || process.env.CI === "1";

/** Debian's Chromium (the test tool's own download cannot work here). Missing in CI fails; on a laptop it skips. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (inCi) throw new Error(`${CHROMIUM_PATH} is required in CI (apt-get install chromium)`);
  console.warn(`\n!!! ${CHROMIUM_PATH} is missing: skipping the browser tests (apt-get install chromium).\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container has no user namespace for the sandbox; the pages are our own.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/** A phone-sized or desktop context; every page error fails the test through `errors`. */
export async function newPlayer(
  browser: Browser,
  size: "phone" | "desktop" = "desktop",
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(
    size === "phone"
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true }
      : { viewport: { width: 960, height: 720 }, deviceScaleFactor: 1 },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}

export async function signIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/play`);
  await page.fill("#display-name", name);
  await page.click("text=Sign in as guest");
  await page.waitForSelector(`h1:has-text("Welcome, ${name}")`);
  await page.waitForSelector("[data-game=blackjack]");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * The server and the Chromium a browser suite's tests share: started before the first test, closed after the last.
 * Call it in the suite's describe block; read `server` and `browser` inside the tests.
 */
export function useBrowserSuite(env: Record<string, string> = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer(env);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error("the browser suite's server is not started (read it inside a test)");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the browser suite's Chromium is not started (read it inside a test)");
      return browser;
    },
  };
}

/** The token the page signed in with, as the client keeps it. */
export async function pageToken(page: Page): Promise<string> {
  return (await page.evaluate(() => localStorage.getItem("tablestakes.token"))) ?? "";
}

/** A spectator over the SDK, signed in as a guest of its own: the test's independent view of a room the page plays. */
export async function spectate<S>(server: TestServer, roomId: string, options: { code?: string } = {}) {
  const guest = await signInGuest(server.url, "Rail Bird");
  const room: Room<unknown, S> = await sdkClient(server.url, guest.token).joinById<S>(roomId, {
    spectate: true,
    ...options,
  });
  return room;
}
