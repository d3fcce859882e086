import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Wallet } from "../../src/wallet/wallet.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { openWalletTestContext, type WalletTestContext } from "./support.ts";

const FIXTURE = fileURLToPath(new URL("./fixtures/stake-then-hang.ts", import.meta.url));
const LEASE_MS = 1_000;
/** How long a live node's round is watched for a wrongful recovery: two lease terms. */
const ALIVE_WINDOW_MS = 2 * LEASE_MS;
const READY_TIMEOUT_MS = 20_000;

/** Starts a node that stakes and hangs; resolves once it has staked (and recorded the outcome, if asked). */
async function startDoomedNode(url: string, roundId: string, recordOutcome: boolean, playerIds: string[]) {
  const child = spawn(
    process.execPath,
    [FIXTURE, url, roundId, String(LEASE_MS), recordOutcome ? "yes" : "no", ...playerIds],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node never got ready: ${output}`)), READY_TIMEOUT_MS);
    child.stdout!.on("data", (chunk) => {
      output += String(chunk);
      if (output.includes("READY")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the node exited with ${code} before staking: ${output}`)));
  });
  return child;
}

/** Runs recovery until it closes a round (a dead node's lease has run out) and returns what that run did. */
function recoverOnceLeaseRunsOut(wallet: Wallet) {
  return waitFor(
    async () => {
      const report = await wallet.recoverExpiredRounds();
      return (report.refunded.length > 0 || report.settled.length > 0) && report;
    },
    "recovery to close the dead node's round",
    LEASE_MS + 10_000,
    100,
  );
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  const [code, signal] = await exited;
  expect(code).toBeNull();
  expect(signal).toBe("SIGKILL");
}

describe.skipIf(!(await postgresAvailable()))("recovery after a node is killed between stake and settle", () => {
  let context: WalletTestContext;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 4 });
    [alice, bob] = (await context.createPlayers(2)) as [string, string];
    await context.wallet.ensurePlayerWallet(alice);
    await context.wallet.ensurePlayerWallet(bob);
  });
  afterAll(async () => {
    await context?.close();
  });

  it("refunds every stake once the dead node's lease expires, and not while its keeper renews it", async () => {
    const { wallet } = context;
    const roundId = "crash:refund";
    const child = await startDoomedNode(context.scratch.url, roundId, false, [alice, bob]);
    expect((await wallet.balance(alice)).balanceMinor).toBe(99_500n);
    expect(await wallet.escrowBalance(roundId)).toBe(1_000n);

    // Alive: its keeper renews the lease, so recovery on another node leaves the round alone. The window is two
    // lease terms (a keeper that had stopped would have lost the round by then), closed by seeing the lease renewed
    // past it.
    const aliveUntil = Date.now() + ALIVE_WINDOW_MS;
    await waitFor(
      async () => Date.now() > aliveUntil && (await wallet.round(roundId))!.leaseExpiresAt.getTime() > aliveUntil,
      "the keeper to renew the lease past two terms",
      ALIVE_WINDOW_MS + 10_000,
      50,
    );
    const whileAlive = await wallet.recoverExpiredRounds();
    expect(whileAlive.refunded).not.toContain(roundId);
    expect((await wallet.round(roundId))!.status).toBe("open");

    await kill9(child);
    const afterDeath = await recoverOnceLeaseRunsOut(wallet);

    expect(afterDeath.refunded).toEqual([roundId]);
    expect((await wallet.round(roundId))!.status).toBe("refunded");
    expect(await wallet.escrowBalance(roundId)).toBe(0n);
    expect((await wallet.balance(alice)).balanceMinor).toBe(100_000n);
    expect((await wallet.balance(bob)).balanceMinor).toBe(100_000n);
    expect((await wallet.recoverExpiredRounds()).refunded).toEqual([]);
    expect((await wallet.audit()).ok).toBe(true);
  });

  it("settles the recorded outcome when the node died after recording it and before settling", async () => {
    const { wallet } = context;
    const roundId = "crash:settle";
    const child = await startDoomedNode(context.scratch.url, roundId, true, [bob, alice]);
    const round = await wallet.round(roundId);
    expect(round!.outcomeRecorded).toBe(true);
    expect(round!.status).toBe("open");

    await kill9(child);
    const report = await recoverOnceLeaseRunsOut(wallet);

    expect(report.settled).toEqual([roundId]);
    expect((await wallet.round(roundId))!.status).toBe("settled");
    expect(await wallet.escrowBalance(roundId)).toBe(0n);
    // Each staked 5.00; bob won the 10.00 pot less a 0.50 rake.
    expect((await wallet.balance(bob)).balanceMinor).toBe(100_450n);
    expect((await wallet.balance(alice)).balanceMinor).toBe(99_500n);
    // The dead node's own settle call, had it got through, is now a replay that moves nothing.
    const replay = await wallet.settle({ key: `${roundId}:settle`, roundId });
    expect(replay.replayed).toBe(true);
    expect((await wallet.balance(bob)).balanceMinor).toBe(100_450n);
    expect((await wallet.audit()).ok).toBe(true);
  });
});
