import { readFileSync } from "node:fs";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { protocolDocument } from "../../protocol/document.ts";
import {
  DRAWS_DEFAULT_MAX_ROUNDS,
  DRAWS_MAX_ROUNDS,
  DRAWS_MAX_STAKE_MINOR,
  DRAWS_MIN_STAKE_MINOR,
} from "../../protocol/draws.ts";
import { type ErrorMessage, ROOM_PROTOCOLS } from "../../protocol/index.ts";
import { DEFAULT_DRAWS_CONFIG, MAX_ROUNDS_PER_MATCH } from "../../simulation/draws/index.ts";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { nextMessage, waitFor } from "../support/wait.ts";

describe("protocol/ is the rooms' wire, and docs/protocol.md is protocol/", () => {
  it("docs/protocol.md is what protocol/ generates (node src/cli/protocol-doc.ts)", () => {
    const written = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
    expect(written).toBe(protocolDocument());
  });

  it("the limits protocol/ publishes are the engines'", () => {
    expect(BigInt(DRAWS_MIN_STAKE_MINOR)).toBe(DEFAULT_DRAWS_CONFIG.minStakeMinor);
    expect(BigInt(DRAWS_MAX_STAKE_MINOR)).toBe(DEFAULT_DRAWS_CONFIG.maxStakeMinor);
    expect(DRAWS_MAX_ROUNDS).toBe(MAX_ROUNDS_PER_MATCH);
    expect(DRAWS_DEFAULT_MAX_ROUNDS).toBe(DEFAULT_DRAWS_CONFIG.maxRounds);
  });

  describe("live rooms", () => {
    let server: TestServer;
    /** The tournament room is joined by a tournament's id: one is opened for it, by the operator. */
    let tournamentId = "";
    beforeAll(async () => {
      server = await startTestServer({ MONITOR_USER: "ops", MONITOR_PASSWORD: "operator-password-for-protocol" });
      const created = await fetch(`${server.url}/tournaments`, {
        method: "POST",
        headers: { "content-type": "application/json", ...server.operator },
        body: JSON.stringify({
          name: "Protocol",
          game: "draws",
          entryFeeMinor: 100,
          seatsMin: 2,
          seatsMax: 4,
          prizeBps: [10_000],
          startWhenFull: true,
        }),
      });
      expect(created.status).toBe(201);
      tournamentId = ((await created.json()) as { id: string }).id;
    });
    afterAll(async () => {
      await server?.stop();
    });

    const joins: Record<keyof typeof ROOM_PROTOCOLS, () => object> = {
      lobby: () => ({}),
      blackjack: () => ({}),
      draws: () => ({ mode: "private" }),
      pool: () => ({ mode: "private", stakeMinor: 100 }),
      tournament: () => ({ tournamentId }),
    };

    for (const [name, protocol] of Object.entries(ROOM_PROTOCOLS)) {
      it(`${name}: takes exactly the protocol's client messages, and its state is the protocol's state`, async () => {
        const guest = await signInGuest(server.url, `Reader ${name}`);
        const room: Room = await sdkClient(server.url, guest.token).create(name, joins[name as keyof typeof joins]());
        await waitFor(() => room.state !== undefined && Object.keys(room.state.toJSON()).length > 0, "the state");
        const refusal = nextMessage<ErrorMessage>(room, "error");
        room.send("noSuchMessage", {});
        const { code, message } = await refusal;
        expect(code).toBe("UNKNOWN_MESSAGE");
        const taken = message
          .replace(/^.*it takes /, "")
          .split(", ")
          .sort();
        expect(taken).toEqual(Object.keys(protocol.clientMessages).sort());
        const parsed = protocol.state.safeParse(room.state.toJSON());
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        await room.leave();
      });
    }
  });
});
