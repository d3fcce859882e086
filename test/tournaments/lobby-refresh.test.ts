import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TournamentRoom } from "../../rooms/TournamentRoom.ts";
import { services } from "../../src/services.ts";
import { localRoom, sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { createTournament, OPERATOR } from "./support.ts";

const available = await postgresAvailable();

describe.skipIf(!available)("the tournament lobby's read-back", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MONITOR_USER: OPERATOR.user, MONITOR_PASSWORD: OPERATOR.password });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("shows a registration made while a read-back that saw the version before it was under way", async () => {
    const { id } = await createTournament(server.url, {
      name: "Read-back",
      game: "draws",
      entryFeeMinor: 100,
      seatsMin: 2,
      seatsMax: 4,
      prizeBps: [10_000],
      startsAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
    });
    const guest = await signInGuest(server.url, "Reader");
    const lobby: Room<unknown, { registered: number; tournamentId: string }> = await sdkClient(
      server.url,
      guest.token,
    ).joinOrCreate("tournament", { tournamentId: id });
    await waitFor(() => lobby.state.tournamentId === id, "the lobby's state");
    const room = localRoom(TournamentRoom, lobby.roomId);
    // Only the reads this test makes happen from here: the interval's would catch the state up on their own.
    room.clock.clear();

    // A read-back (the interval's, say) reads the version and is held before it compares it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held!: () => void;
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    const tournaments = services().tournaments;
    const version = tournaments.version.bind(tournaments);
    const versionRead = vi.spyOn(tournaments, "version").mockImplementationOnce(async (tournamentId) => {
      const seen = await version(tournamentId);
      held();
      await gate;
      return seen;
    });
    const refreshes = vi.spyOn(room, "refresh");
    try {
      const early = room.refresh();
      await holding;
      // The registration commits, and its intent asks for a read-back while the held one is under way.
      lobby.send("register", {});
      await waitFor(() => refreshes.mock.calls.length >= 2, "the register intent's read-back");
      expect((await tournaments.summary(id)).registered).toBe(1);
      release();
      await early;
      expect(room.state.registered).toBe(1);
      await waitFor(() => lobby.state.registered === 1, "the registration in the client's state", 2_000);
    } finally {
      release();
      versionRead.mockRestore();
      refreshes.mockRestore();
      await lobby.leave();
    }
  });
});
