import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/game-server.ts";

describe("GET /play serves the browser client", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers the page with a content policy, and versioned assets that caches may keep", async () => {
    const page = await fetch(`${server.url}/play`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    const script = /src="(\/play\/app\.js\?v=[\w-]+)"/.exec(html)?.[1];
    const style = /href="(\/play\/style\.css\?v=[\w-]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await fetch(`${server.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(js.headers.get("cache-control")).toContain("immutable");
    const body = await js.text();
    expect(body.length).toBeGreaterThan(10_000);
    expect(body.length).toBeLessThan(2 * 1024 * 1024);
    // The bundle carries the SDK and none of the server.
    expect(body).toContain("matchmake");
    expect(body).not.toContain("pg_advisory");
    expect((await fetch(`${server.url}${style}`)).status).toBe(200);
  });

  it("revalidates with the ETag and refuses paths that are not the client's", async () => {
    const first = await fetch(`${server.url}/play/`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${server.url}/play/`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    for (const path of [
      "/play/server.ts",
      "/play/..%2Fpackage.json",
      "/play/%2e%2e%2fsrc%2fconfig.ts",
      "/play/index.html",
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: "NOT_FOUND" });
    }
  });
});
