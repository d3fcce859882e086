import { RECOVERY_BATCH_MAX, type RecoveryReport, type Wallet } from "./wallet.ts";

/** Batches per pass: a backlog larger than this is finished by the next passes. */
const BATCHES_PER_PASS_MAX = 20;

export interface RoundRecoveryOptions {
  everyMs: number;
  onRecovered?: (report: RecoveryReport) => void;
  onError?: (error: unknown) => void;
}

/**
 * Closes abandoned rounds at start-up and then periodically. Every node runs one; a round is taken by exactly one
 * of them (the ledger locks it), so they never double-refund.
 */
export class RoundRecovery {
  readonly #wallet: Wallet;
  readonly #options: RoundRecoveryOptions;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<RecoveryReport> | undefined;

  constructor(wallet: Wallet, options: RoundRecoveryOptions) {
    this.#wallet = wallet;
    this.#options = options;
  }

  /** One pass over the expired rounds; resolves with what it did. */
  async runOnce(): Promise<RecoveryReport> {
    const total: RecoveryReport = { settled: [], refunded: [], skipped: [], failed: [] };
    for (let batch = 0; batch < BATCHES_PER_PASS_MAX; batch++) {
      const report = await this.#wallet.recoverExpiredRounds(RECOVERY_BATCH_MAX);
      total.settled.push(...report.settled);
      total.refunded.push(...report.refunded);
      total.skipped.push(...report.skipped);
      total.failed.push(...report.failed);
      const closed = report.settled.length + report.refunded.length;
      if (closed === 0 || closed + report.skipped.length + report.failed.length < RECOVERY_BATCH_MAX) break;
    }
    return total;
  }

  /** Runs a pass now (start-up) and then every `everyMs`. */
  start(): void {
    if (this.#timer) return;
    const tick = () => {
      if (this.#pass) return;
      this.#pass = this.runOnce()
        .then((report) => {
          if (report.settled.length + report.refunded.length + report.failed.length > 0) {
            this.#options.onRecovered?.(report);
          }
          return report;
        })
        .catch((error: unknown) => {
          this.#options.onError?.(error);
          return { settled: [], refunded: [], skipped: [], failed: [] };
        })
        .finally(() => (this.#pass = undefined));
    };
    tick();
    this.#timer = setInterval(tick, this.#options.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }
}
