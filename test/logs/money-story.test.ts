import type { Room } from "@colyseus/sdk";
import { afterAll, describe, expect, it } from "vitest";
import type { BlackjackRoundSettled, BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsRoundSettledMessage, DrawsStateView } from "../../protocol/draws.ts";
import { freePort } from "../support/free-port.ts";
import { type Guest, sdkClient, signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, type ServerProcess, spawnServer, waitForOutput } from "../support/server-process.ts";
import { waitFor } from "../support/wait.ts";

// One server process as an operator runs it, its log captured; two players play a blackjack hand and a draws round
// over the SDK. Every row of their ledgers must be told by the log, with the same ids, and a round's log lines must
// be found by grepping its room id.

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}
interface LedgerRow {
  id: string;
  kind: string;
  direction: "credit" | "debit";
  amountMinor: string;
  roundId: string | null;
}

type TableState = Synced<BlackjackStateView>;
type DrawsState = Synced<DrawsStateView>;

const INFO = 30;
const DEBUG = 20;

afterAll(() => killSpawnedServers());

function logLines(server: ServerProcess): LogLine[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

async function ledger(url: string, guest: Guest): Promise<LedgerRow[]> {
  const response = await fetch(`${url}/wallet/transfers?limit=100`, {
    headers: { authorization: `Bearer ${guest.token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { transfers: LedgerRow[] }).transfers;
}

/** Bets, declines insurance, stands on its turn; resolves with the settled round's id. */
function playBlackjackHand(room: Room<unknown, TableState>, playerId: string, betMinor: number): Promise<string> {
  const sent = new Set<string>();
  const once = (key: string, type: string, payload: object) => {
    if (sent.has(key)) return;
    sent.add(key);
    room.send(type, payload);
  };
  room.onStateChange((state) => {
    const mine = [...state.seats.entries()].find(([, seat]) => seat.playerId === playerId);
    if (!mine) return;
    const [seat, view] = mine;
    if (state.phase === "betting" && view.betMinor === "0")
      once(`bet:${state.round}`, "bet", { amountMinor: betMinor });
    if (state.phase === "insurance" && view.insurance === "pending") {
      once(`insurance:${state.round}`, "insurance", { take: false });
    }
    if (state.phase === "playerTurns" && state.turnSeat === Number(seat) && state.turnActions.length > 0) {
      once(`stand:${state.round}:${state.turnHand}`, "stand", {});
    }
  });
  return new Promise((resolve) =>
    room.onMessage("roundSettled", (settled: BlackjackRoundSettled) => resolve(settled.roundId)),
  );
}

describe("the log tells each player's and each round's story, matching the ledger", () => {
  it("logs every stake, payout and round end of a blackjack hand and a draw with the ledger's ids", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = spawnServer({
      PORT: String(port),
      DATA_DIR: "memory://",
      LOG_LEVEL: "debug",
      PHYSICS_BACKEND: "cpu",
      JWT_SECRET: "a-secret-for-the-log-test-that-is-long-enough",
    });
    await waitForOutput(server, /server listening/, 120_000);
    const ann = await signInGuest(url, "Ann");
    const bob = await signInGuest(url, "Bob");

    // Blackjack: Ann alone at her own table.
    const table = await sdkClient(url, ann.token).create<TableState>("blackjack", { resultSeconds: 0.05 });
    const blackjackRoundId = await playBlackjackHand(table, ann.player.id, 300);
    expect(blackjackRoundId).toContain(table.roomId);
    await table.leave();

    // Draws: Ann challenges Bob; both stake 1,000 and draw (again after a tie) until the round settles.
    const challenge = await sdkClient(url, ann.token).create<DrawsState>("draws", { mode: "private" });
    const code = await new Promise<string>((resolve) => challenge.onStateChange.once((state) => resolve(state.code)));
    const accepted = await sdkClient(url, bob.token).join<DrawsState>("draws", { mode: "private", code });
    const settled = [challenge, accepted].map((room) => {
      room.onMessage("events", (events: { type: string }[]) => {
        if (events.some((event) => event.type === "attemptStarted")) room.send("draw", {});
      });
      return new Promise<string>((resolve) =>
        room.onMessage("roundSettled", (s: DrawsRoundSettledMessage) => resolve(s.roundId!)),
      );
    });
    await waitFor(() => accepted.state.ready, "both seats", 20_000);
    challenge.send("stake", { stakeMinor: "1000" });
    accepted.send("stake", { stakeMinor: "1000" });
    const [drawsRoundId] = await Promise.all(settled);
    expect(drawsRoundId).toContain(challenge.roomId);

    // A refusal the wallet makes: a top-up for a player who is not broke.
    const lobby = await sdkClient(url, bob.token).joinOrCreate("lobby");
    const refusal = new Promise<{ code: string }>((resolve) => lobby.onMessage("error", resolve));
    lobby.onMessage("profile", () => {});
    lobby.send("topUp", {});
    expect((await refusal).code).toBe("TOPUP_NOT_NEEDED");

    const rows = { [ann.player.id]: await ledger(url, ann), [bob.player.id]: await ledger(url, bob) };
    // The log is written as the money moves; by now every line is out, but give the pipe a moment to deliver.
    await waitFor(
      () => logLines(server).some((line) => line.msg === "wallet refused"),
      "the refusal's log line",
      20_000,
    );
    const log = logLines(server);
    const moved = log.filter((line) => line.msg === "money moved");

    for (const [playerId, transfers] of Object.entries(rows)) {
      expect(transfers.map((t) => t.kind).sort()).toEqual(
        playerId === ann.player.id
          ? expect.arrayContaining(["grant", "stake", "stake"])
          : expect.arrayContaining(["grant", "stake"]),
      );
      for (const transfer of transfers) {
        const line = moved.find((l) => l.transferId === transfer.id);
        expect(line, `transfer ${transfer.id} (${transfer.kind} ${transfer.roundId}) in the log`).toBeDefined();
        expect(line).toMatchObject({
          level: INFO,
          kind: transfer.kind,
          amountMinor: transfer.amountMinor,
          playerId,
          roundId: transfer.roundId,
        });
      }
      // grep on the player id: exactly their ledger's movements, no more.
      const told = moved.filter((line) => line.playerId === playerId).map((line) => line.transferId);
      expect(new Set(told)).toEqual(new Set(transfers.map((t) => t.id)));
    }

    for (const [roundId, game, roomId] of [
      [blackjackRoundId, "blackjack", table.roomId],
      [drawsRoundId, "draws", challenge.roomId],
    ] as const) {
      const ofRoom = log.filter((line) => JSON.stringify(line).includes(roomId));
      const opened = ofRoom.find((line) => line.msg === "round opened" && line.roundId === roundId);
      const closed = ofRoom.find((line) => line.msg === "round settled" && line.roundId === roundId);
      expect(opened, `${roundId} opened`).toMatchObject({ level: INFO, game });
      expect(closed, `${roundId} settled`).toMatchObject({ level: INFO, game });
      // Every ledger row of the round is in the room's story, and the settlement names the transfers that closed it.
      const roundRows = Object.values(rows)
        .flat()
        .filter((t) => t.roundId === roundId);
      const stakes = roundRows.filter((t) => t.kind === "stake");
      expect(stakes.length).toBeGreaterThanOrEqual(game === "draws" ? 2 : 1);
      for (const row of roundRows) expect(ofRoom.some((line) => line.transferId === row.id)).toBe(true);
      const closing = closed!.transferIds as string[];
      for (const row of roundRows.filter((t) => t.kind === "payout")) expect(closing).toContain(row.id);
      for (const id of closing) {
        const leg = moved.find((line) => line.transferId === id);
        expect(leg, `closing transfer ${id}`).toMatchObject({ roundId, op: "settle" });
      }
      expect(stakes.every((row) => !closing.includes(row.id))).toBe(true);
    }

    const refused = log.find((line) => line.msg === "wallet refused");
    expect(refused).toMatchObject({ level: DEBUG, op: "top-up", playerId: bob.player.id, code: "TOPUP_NOT_NEEDED" });

    await lobby.leave();
    await challenge.leave().catch(() => {});
    await accepted.leave().catch(() => {});
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 240_000);
});
