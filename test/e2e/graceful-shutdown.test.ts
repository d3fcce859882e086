import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Room } from "@colyseus/sdk";
import { afterAll, describe, expect, it } from "vitest";
import type { BlackjackRoundSettled, BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import { betUntilRoundWaits } from "../support/blackjack.ts";
import { sdkClient, signInGuest, walletBalance } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";
import { stateWhere } from "../support/wait.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "tablestakes-shutdown-"));
afterAll(() => {
  killSpawnedServers();
  rmSync(dataDir, { recursive: true, force: true });
});

const JWT_SECRET = "a-secret-for-the-shutdown-test-long-enough";

type Table = Synced<BlackjackStateView>;

/** The table once it shows a phase that `accept` takes. */
function waitForPhase(room: Room<unknown, Table>, accept: (t: Table) => boolean): Promise<Table> {
  return stateWhere(room, (t) => Boolean(t.phase) && accept(t), "the table's phase", 30_000);
}

describe("SIGTERM with a blackjack round in play", () => {
  it("lets the round finish and settle, refuses new rooms meanwhile, then exits 0", async () => {
    const port = 25691;
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), DATA_DIR: dataDir, JWT_SECRET, SHUTDOWN_DEADLINE_MS: "20000" };
    const node = spawnServer(env);
    await waitForOutput(node, /server listening/);
    const guest = await signInGuest(url, "Last Orders");
    const before = await walletBalance(url, guest.token);
    const room = await sdkClient(url, guest.token).create<Table>("blackjack", {
      actionSeconds: 60,
      insuranceSeconds: 60,
    });
    const settled = new Promise<BlackjackRoundSettled>((resolve) => room.onMessage("roundSettled", resolve));
    room.send("bet", { amountMinor: 1000 });
    const dealt = await waitForPhase(room, (t) => t.phase !== "betting");

    node.child.kill("SIGTERM");
    await waitForOutput(node, /shutting down/);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    await expect(sdkClient(url, guest.token).create("blackjack")).rejects.toBeDefined();

    if (dealt.phase === "insurance") room.send("insurance", { take: false });
    await waitForPhase(room, (t) => t.phase !== "insurance");
    if (room.state.phase === "playerTurns") room.send("stand", {});
    const net = BigInt((await settled).result.seats[0]!.net);
    expect(await node.exited).toBe(0);

    const again = spawnServer(env);
    await waitForOutput(again, /server listening/);
    expect(await walletBalance(url, guest.token)).toBe(before + net);
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 90_000);

  it("refunds a round still running at the shutdown deadline", async () => {
    const port = 25692;
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), DATA_DIR: dataDir, JWT_SECRET, SHUTDOWN_DEADLINE_MS: "1000" };
    const node = spawnServer(env);
    await waitForOutput(node, /server listening/);
    const guest = await signInGuest(url, "Slow Player");
    const room = await sdkClient(url, guest.token).create<Table>("blackjack", {
      actionSeconds: 60,
      insuranceSeconds: 60,
    });
    let settledNet: bigint | undefined;
    room.onMessage("roundSettled", (m: BlackjackRoundSettled) => {
      settledNet = BigInt(m.result.seats[0]!.net);
    });
    let before = 0n;
    await betUntilRoundWaits(room, 2500, async () => {
      settledNet = undefined;
      before = await walletBalance(url, guest.token);
    });
    expect(await walletBalance(url, guest.token)).toBe(before - 2500n);
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);

    const again = spawnServer(env);
    await waitForOutput(again, /server listening/);
    // A dealer blackjack settles the round at the deal; any other round is still waiting on the player at the
    // deadline and is refunded whole when the room is disposed.
    const final = await walletBalance(url, guest.token);
    if (settledNet === undefined) {
      expect(node.output()).toMatch(/shutdown deadline reached/);
      expect(final).toBe(before);
    } else {
      expect(final).toBe(before + settledNet);
    }
    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 90_000);
});
