import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TournamentDetail, TournamentSummary } from "../../protocol/tournament.ts";
import { waitFor } from "../support/wait.ts";

export const OPERATOR = { user: "ops", password: "operator-password-for-tests" };
export const operatorAuth = `Basic ${Buffer.from(`${OPERATOR.user}:${OPERATOR.password}`).toString("base64")}`;

/** How often a test may ask a tournament route again: the routes are rate limited per address. */
export const ROUTE_POLL_MS = 25;

/** Waits for the tournament to reach a status, asking the HTTP route no faster than its rate limit allows. */
export async function untilStatus(url: string, id: string, status: string, timeoutMs: number) {
  await waitFor(async () => (await tournamentDetail(url, id)).status === status, `status ${status}`, timeoutMs, 250);
}

export async function createTournament(url: string, body: Record<string, unknown>): Promise<TournamentSummary> {
  const response = await fetch(`${url}/tournaments`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: operatorAuth },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST /tournaments: ${response.status} ${await response.text()}`);
  return (await response.json()) as TournamentSummary;
}

export async function tournamentDetail(url: string, id: string): Promise<TournamentDetail> {
  const response = await fetch(`${url}/tournaments/${id}`);
  if (response.status !== 200) throw new Error(`GET /tournaments/${id}: ${response.status}`);
  return (await response.json()) as TournamentDetail;
}

interface WireTransfer {
  kind: string;
  direction: string;
  amountMinor: string;
  roundId: string | null;
}

/** The player's own ledger rows of one round (from GET /wallet/transfers, newest first, 100 at most). */
export async function transfersOfRound(url: string, token: string, roundId: string): Promise<WireTransfer[]> {
  const response = await fetch(`${url}/wallet/transfers?limit=100`, { headers: { authorization: `Bearer ${token}` } });
  const page = (await response.json()) as { transfers: WireTransfer[] };
  return page.transfers.filter((t) => t.roundId === roundId);
}

/** `npm run audit` against the given database: its exit code and what it printed. */
export function runAuditCli(databaseUrl: string): Promise<{ code: number; output: string }> {
  const script = fileURLToPath(new URL("../../src/cli/audit.ts", import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 2) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** floor((pool - rake) * bps / 10000) per place, the flooring remainder to first place: docs/tournaments.md. */
export function expectedPrizes(poolMinor: bigint, rakeBps: number, prizeBps: number[]): bigint[] {
  const net = poolMinor - (poolMinor * BigInt(rakeBps)) / 10_000n;
  const prizes = prizeBps.map((bps) => (net * BigInt(bps)) / 10_000n);
  prizes[0]! += net - prizes.reduce((a, b) => a + b, 0n);
  return prizes;
}
