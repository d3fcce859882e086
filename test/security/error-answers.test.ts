import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Guest, sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";

/** What must never reach a client: SQL, stack frames, file paths, driver internals. */
const INTERNALS = /select |update |insert |relation |failed query|\bat \S+ \(|\.ts:\d+|node_modules|ECONN|pglite/i;

async function answer(response: Response) {
  const text = await response.text();
  expect(text).not.toMatch(INTERNALS);
  return { status: response.status, body: JSON.parse(text) as { error: string; message: string } };
}

describe("client mistakes get a 4xx with a code and a message, and nothing internal", () => {
  let server: TestServer;
  let guest: Guest;

  beforeAll(async () => {
    server = await startTestServer();
    guest = await signInGuest(server.url, "Mistake Maker");
  });
  afterAll(async () => {
    await server?.stop();
  });

  const guestSignUp = (body: string, contentType = "application/json") =>
    fetch(`${server.url}/auth/guest`, { method: "POST", headers: { "content-type": contentType }, body });

  it("answers malformed or wrong-shaped sign-ups with 400", async () => {
    for (const body of ['{"displayName": "Broken', "[1,2,3]", '"just a string"', "null", "{}", '{"displayName": 7}']) {
      const { status, body: parsed } = await answer(await guestSignUp(body));
      expect(status, body).toBe(400);
      expect(parsed.error, body).toMatch(/^(BAD_JSON|BAD_REQUEST)$/);
      expect(parsed.message.length, body).toBeGreaterThan(0);
    }
    const longName = await answer(await guestSignUp(JSON.stringify({ displayName: "y".repeat(500) })));
    expect(longName.status).toBe(400);
    const huge = await answer(await guestSignUp(JSON.stringify({ displayName: "z".repeat(10_000) })));
    expect(huge.status).toBe(413);
  });

  it("answers out-of-range ledger cursors and page sizes with 400", async () => {
    for (const query of [
      "before=9223372036854775808",
      "before=99999999999999999999",
      "before=-1",
      "before=1e3",
      "limit=0",
      "limit=abc",
      "limit=100000",
    ]) {
      const response = await fetch(`${server.url}/wallet/transfers?${query}`, {
        headers: { authorization: `Bearer ${guest.token}` },
      });
      const { status, body } = await answer(response);
      expect(status, query).toBe(400);
      expect(body.error, query).toBe("BAD_REQUEST");
    }
    const largest = await fetch(`${server.url}/wallet/transfers?before=9223372036854775807`, {
      headers: { authorization: `Bearer ${guest.token}` },
    });
    expect(largest.status).toBe(200);
  });

  it("answers bad matchmaking requests with 4xx", async () => {
    const matchmake = (path: string, body: string) =>
      fetch(`${server.url}/matchmake/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${guest.token}` },
        body,
      });
    for (const [path, body] of [
      ["joinOrCreate/no-such-room", "{}"],
      ["notAMethod/lobby", "{}"],
      ["joinById/not-a-room-id", "{}"],
      ["create/draws", '{"mode": "bogus"}'],
      ["create/pool", '{"mode": "quick", "stakeMinor": "lots"}'],
      ["create/blackjack", '{"rules": "no-such-preset"}'],
    ] as const) {
      const response = await matchmake(path, body);
      const text = await response.text();
      expect(text, path).not.toMatch(INTERNALS);
      expect(response.status, `${path}: ${text}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${path}: ${text}`).toBeLessThan(500);
    }
  });

  it("tells a client whose join fails on a database error only INTERNAL, never the query", async () => {
    await server.database.db.execute(sql`alter table players rename to players_away`);
    try {
      const failure = await sdkClient(server.url, guest.token)
        .joinOrCreate("lobby")
        .then(
          () => undefined,
          (error: Error & { code?: number }) => error,
        );
      expect(failure).toBeDefined();
      expect(failure!.message).not.toMatch(INTERNALS);
      expect(failure!.message).toMatch(/^INTERNAL: /);
    } finally {
      await server.database.db.execute(sql`alter table players_away rename to players`);
    }
    const room = await sdkClient(server.url, guest.token).joinOrCreate("lobby");
    expect(room.roomId).toBeTruthy();
    await room.leave();
  });
});
