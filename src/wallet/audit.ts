import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { formatMinor, type MoneyFormat, toBigInt } from "./amount.ts";

/** At most this many offending rows are listed per check; the count of checks failed is what matters. */
export const AUDIT_VIOLATIONS_LISTED_MAX = 20;

export interface AuditCheck {
  name: string;
  description: string;
  ok: boolean;
  /** One line per offending row (at most AUDIT_VIOLATIONS_LISTED_MAX). */
  violations: string[];
}

export interface AuditReport {
  ok: boolean;
  checkedAt: Date;
  accounts: number;
  transfers: number;
  openRounds: number;
  sumOfBalancesMinor: bigint;
  mintBalanceMinor: bigint;
  checks: AuditCheck[];
}

type Row = Record<string, unknown>;

/**
 * Proves the ledger's invariants from the rows themselves, in one read-only snapshot so that it can run while
 * money moves: balances sum to zero; no player, escrow or prize pool is negative; closed rounds hold nothing;
 * every transfer names existing accounts; every balance equals the sum of its ledger rows; only grants draw on the
 * mint.
 */
export async function auditLedger(db: Db): Promise<AuditReport> {
  const limit = AUDIT_VIOLATIONS_LISTED_MAX;
  return db.transaction(
    async (tx) => {
      const query = async (statement: ReturnType<typeof sql>): Promise<Row[]> =>
        (await tx.execute<Row>(statement)).rows;
      const totals = (
        await query(sql`
        select (select count(*) from wallet_accounts) as accounts,
               (select count(*) from wallet_transfers) as transfers,
               (select count(*) from wallet_rounds where status = 'open') as open_rounds,
               (select coalesce(sum(balance_minor), 0) from wallet_accounts) as sum_minor,
               (select coalesce(sum(balance_minor), 0) from wallet_accounts where kind = 'mint') as mint_minor`)
      )[0]!;
      const sumOfBalancesMinor = toBigInt(totals.sum_minor);
      const checks: AuditCheck[] = [];
      const check = (name: string, description: string, violations: string[]) =>
        checks.push({ name, description, ok: violations.length === 0, violations });

      check(
        "balances_sum_to_zero",
        "the balances of all accounts add up to zero",
        sumOfBalancesMinor === 0n ? [] : [`the balances add up to ${sumOfBalancesMinor} minor units`],
      );

      const negative = await query(sql`
        select id, kind, balance_minor from wallet_accounts
         where kind in ('player', 'escrow', 'prize_pool') and balance_minor < 0 order by id limit ${limit}`);
      check(
        "no_negative_balances",
        "no player, escrow or prize pool balance is below zero",
        negative.map((row) => `${row.kind} account ${row.id} holds ${row.balance_minor}`),
      );

      const unemptied = await query(sql`
        select r.id, r.status, a.balance_minor from wallet_rounds r join wallet_accounts a on a.id = r.escrow_account_id
         where r.status <> 'open' and a.balance_minor <> 0 order by r.id limit ${limit}`);
      check(
        "closed_rounds_hold_nothing",
        "every settled or refunded round's escrow is zero",
        unemptied.map((row) => `round ${row.id} is ${row.status} with ${row.balance_minor} in escrow`),
      );

      const dangling = await query(sql`
        select t.id, t.debit_account_id, t.credit_account_id from wallet_transfers t
          left join wallet_accounts d on d.id = t.debit_account_id
          left join wallet_accounts c on c.id = t.credit_account_id
         where d.id is null or c.id is null order by t.id limit ${limit}`);
      check(
        "transfers_name_existing_accounts",
        "every transfer's debit and credit accounts exist",
        dangling.map((row) => `transfer ${row.id} moves ${row.debit_account_id} -> ${row.credit_account_id}`),
      );

      const drifted = await query(sql`
        with flows as (
          select debit_account_id as account_id, -sum(amount_minor) as net_minor from wallet_transfers group by 1
          union all
          select credit_account_id, sum(amount_minor) from wallet_transfers group by 1
        ), net as (select account_id, sum(net_minor) as net_minor from flows group by 1)
        select a.id, a.kind, a.balance_minor, coalesce(n.net_minor, 0) as ledger_minor
          from wallet_accounts a left join net n on n.account_id = a.id
         where a.balance_minor <> coalesce(n.net_minor, 0) order by a.id limit ${limit}`);
      check(
        "balances_match_ledger",
        "each account's balance equals the sum of its ledger rows",
        drifted.map(
          (row) =>
            `${row.kind} account ${row.id} holds ${row.balance_minor} but its ledger sums to ${row.ledger_minor}`,
        ),
      );

      const mintMisuse = await query(sql`
        select t.id, t.kind, d.kind as debit_kind from wallet_transfers t
          join wallet_accounts d on d.id = t.debit_account_id
         where (d.kind = 'mint') <> (t.kind = 'grant') order by t.id limit ${limit}`);
      check(
        "only_grants_draw_on_the_mint",
        "money enters circulation only by recorded grants from the mint",
        mintMisuse.map((row) => `transfer ${row.id} is a ${row.kind} from a ${row.debit_kind} account`),
      );

      return {
        ok: checks.every((entry) => entry.ok),
        checkedAt: new Date(),
        accounts: Number(totals.accounts),
        transfers: Number(totals.transfers),
        openRounds: Number(totals.open_rounds),
        sumOfBalancesMinor,
        mintBalanceMinor: toBigInt(totals.mint_minor),
        checks,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export function formatAuditReport(report: AuditReport, money: MoneyFormat): string {
  const lines = [
    `wallet audit ${report.checkedAt.toISOString()}: ${report.ok ? "OK" : "VIOLATIONS FOUND"}`,
    `  ${report.accounts} accounts, ${report.transfers} transfers, ${report.openRounds} open rounds`,
    `  demo credit in circulation: ${formatMinor(-report.mintBalanceMinor, money)}`,
  ];
  for (const entry of report.checks) {
    lines.push(`  [${entry.ok ? "ok" : "FAIL"}] ${entry.name}: ${entry.description}`);
    for (const violation of entry.violations) lines.push(`         ${violation}`);
  }
  return lines.join("\n");
}

/** The report as JSON-safe data (bigints as decimal strings). */
export function auditReportJson(report: AuditReport): Record<string, unknown> {
  return {
    ...report,
    checkedAt: report.checkedAt.toISOString(),
    sumOfBalancesMinor: report.sumOfBalancesMinor.toString(),
    mintBalanceMinor: report.mintBalanceMinor.toString(),
  };
}
