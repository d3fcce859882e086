import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { nextMessage } from "../support/wait.ts";

interface ErrorReply {
  type: string;
  code: string;
  message: string;
}

describe("room error replies never echo what the client sent", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("an unknown type or a bad payload of kilobytes gets a reply of a few hundred bytes without it", async () => {
    const guest = await signInGuest(server.url, "Loud");
    for (const name of ["lobby", "blackjack", "draws"]) {
      const room = await sdkClient(server.url, guest.token).create(name, name === "draws" ? { mode: "private" } : {});
      const filler = "x".repeat(4 * 1024);
      const cases: [string, unknown, string][] = [
        // A type travels as a short string; a long one is as much payload as any.
        [`no-such-${"x".repeat(200)}`, {}, "UNKNOWN_MESSAGE"],
      ];
      // The lobby's intents take no fields (extra ones are ignored), so only the tables can refuse a payload.
      if (name !== "lobby") cases.push(["clientSeed", { seed: filler, [filler]: filler }, "BAD_MESSAGE"]);
      for (const [type, payload, code] of cases) {
        const reply = nextMessage<ErrorReply>(room, "error");
        room.send(type, payload);
        const error = await reply;
        expect(error.code, `${name} ${code}`).toBe(code);
        expect(JSON.stringify(error).length, `${name} ${code}`).toBeLessThan(500);
        expect(JSON.stringify(error)).not.toContain("xxxxxxxx");
      }
      await room.leave();
    }
  });
});
