import type { Wallet } from "./wallet.ts";

/** One node renews at most this many rounds; a room count far beyond what one process can host. */
export const TRACKED_ROUNDS_MAX = 20_000;
const RENEW_CHUNK = 1_000;

export interface RoundLeaseKeeperOptions {
  nodeId: string;
  leaseMs: number;
  /** Defaults to a third of the lease, so two renewals can fail before the lease runs out. */
  renewEveryMs?: number;
  /** A tracked round this node no longer owns: recovered by another node after its lease ran out. */
  onLost?: (roundId: string) => void;
  onError?: (error: unknown) => void;
}

/**
 * Keeps the leases of the rounds this node runs alive. Track a round after opening it and untrack it once settled
 * or refunded; if the process dies, the leases lapse and any node's recovery closes the rounds.
 */
export class RoundLeaseKeeper {
  readonly #wallet: Wallet;
  readonly #options: RoundLeaseKeeperOptions;
  readonly #rounds = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #renewal: Promise<void> | undefined;

  constructor(wallet: Wallet, options: RoundLeaseKeeperOptions) {
    this.#wallet = wallet;
    this.#options = options;
  }

  get tracked(): readonly string[] {
    return [...this.#rounds];
  }

  track(roundId: string): void {
    if (this.#rounds.size >= TRACKED_ROUNDS_MAX && !this.#rounds.has(roundId)) {
      throw new Error(`a node keeps at most ${TRACKED_ROUNDS_MAX} round leases`);
    }
    this.#rounds.add(roundId);
  }

  untrack(roundId: string): void {
    this.#rounds.delete(roundId);
  }

  start(): void {
    if (this.#timer) return;
    const everyMs = this.#options.renewEveryMs ?? Math.max(50, Math.floor(this.#options.leaseMs / 3));
    this.#timer = setInterval(() => {
      // A renewal still in flight (slow database) is not stacked with another.
      if (!this.#renewal) this.#renewal = this.renewNow().finally(() => (this.#renewal = undefined));
    }, everyMs);
    this.#timer.unref();
  }

  /** Renews every tracked lease once; errors go to onError and the next tick tries again. */
  async renewNow(): Promise<void> {
    const rounds = [...this.#rounds];
    for (let start = 0; start < rounds.length; start += RENEW_CHUNK) {
      const chunk = rounds.slice(start, start + RENEW_CHUNK);
      try {
        const owned = new Set(await this.#wallet.renewLeases(this.#options.nodeId, chunk, this.#options.leaseMs));
        for (const roundId of chunk) {
          if (owned.has(roundId) || !this.#rounds.has(roundId)) continue;
          this.#rounds.delete(roundId);
          // A round this node closed itself (settled before it was untracked) is not a lost one.
          if (await this.#takenByRecovery(roundId)) this.#options.onLost?.(roundId);
        }
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
  }

  /** Recovery only takes a round whose lease ran out; a round its owner closed in time was never lost. */
  async #takenByRecovery(roundId: string): Promise<boolean> {
    const round = await this.#wallet.round(roundId);
    if (!round || round.ownerNodeId !== this.#options.nodeId) return true;
    return round.closedAt !== null && round.closedAt >= round.leaseExpiresAt;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#renewal;
  }
}
