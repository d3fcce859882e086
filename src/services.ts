import type { TokenService } from "./auth/tokens.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Logger } from "./logging.ts";
import type { ShotBatcher } from "./physics/batcher.ts";
import type { PlayerDirectory } from "./players/players.ts";
import type { TournamentService } from "./tournaments/service.ts";
import type { RoundLeaseKeeper } from "./wallet/lease-keeper.ts";
import type { Wallet } from "./wallet/wallet.ts";

/**
 * What rooms need from the process. Colyseus constructs rooms itself, so they reach these through
 * one process-wide handle, set once at start-up (the matchmaker is process-wide too).
 */
export interface Services {
  config: Config;
  logger: Logger;
  database: Database;
  players: PlayerDirectory;
  tokens: TokenService;
  wallet: Wallet;
  /** Keeps the leases of the rounds this node runs; rooms track a round when they open it. */
  leases: RoundLeaseKeeper;
  /** This process's identity as the owner of game rounds (new at every start, so a restart never inherits leases). */
  nodeId: string;
  /** Pool physics for every table and bot in the process, batched. */
  physics: ShotBatcher;
  tournaments: TournamentService;
}

let current: Services | undefined;

export function provideServices(services: Services | undefined): void {
  current = services;
}

export function services(): Services {
  if (!current) throw new Error("services are not set: start the server with startGameServer()");
  return current;
}
