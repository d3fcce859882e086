import { matchMaker } from "@colyseus/core";
import type { Router } from "express";
import type { TokenService } from "../src/auth/tokens.ts";
import type { Config } from "../src/config.ts";
import type { Db } from "../src/db/database.ts";
import type { Logger } from "../src/logging.ts";
import { onMatchResult } from "../src/match-results.ts";
import { readQueueLengthsFrom } from "../src/metrics/matchmaker-metrics.ts";
import type { Wallet } from "../src/wallet/wallet.ts";
import { parseQueueId } from "./games.ts";
import { Matchmaker } from "./matchmaker.ts";
import { MemoryQueueStore } from "./memory-store.ts";
import { liveNodes, NodeAnnouncer } from "./nodes.ts";
import { announcedNodes, configurePlacement, regionsWithCapacity } from "./placement.ts";
import { Ratings } from "./ratings.ts";
import { RedisQueueStore } from "./redis-store.ts";
import { createMatchmakerRouter } from "./routes.ts";
import type { QueueLease, QueueStore } from "./store.ts";

export interface MatchmakingOptions {
  config: Config;
  db: Db;
  wallet: Wallet;
  tokens: TokenService;
  logger: Logger;
  nodeId: string;
  physicsQueued(): number;
  draining(): boolean;
}

export interface Matchmaking {
  matchmaker: Matchmaker;
  ratings: Ratings;
  router: Router;
  /** After the server listens (presence and the process id exist): announce this node and start passing. */
  start(): Promise<void>;
  /** At the start of a shutdown: no more passes or rooms here, the leases handed to other nodes. */
  stop(): Promise<void>;
  /** Once the rooms have drained: results of matches that ended while draining are rated before this. */
  close(): Promise<void>;
}

const PLACEMENT_CONCURRENCY = 8;

/** Wires the matchmaker into the process: its store (Redis or memory), lease, ratings, routes, metrics. */
export function createMatchmaking(options: MatchmakingOptions): Matchmaking {
  const { config, logger } = options;
  const settings = config.matchmaker;
  const log = logger.child({ part: "matchmaker" });
  let store: QueueStore;
  let lease: QueueLease;
  if (config.redisUrl) {
    const redisStore = new RedisQueueStore(config.redisUrl, settings.prefix);
    store = redisStore;
    lease = redisStore.lease(options.nodeId, settings.leaseMs);
  } else {
    const memoryStore = new MemoryQueueStore();
    store = memoryStore;
    lease = memoryStore.lease();
  }
  configurePlacement({ prefix: settings.prefix });
  const ratings = new Ratings(options.db);
  const knownRegions = async () => [...new Set((await announcedNodes()).map((node) => node.region))];
  const matchmaker = new Matchmaker({
    store,
    lease,
    ratings,
    balanceOf: async (playerId) => (await options.wallet.balance(playerId)).balanceMinor,
    regionsWithCapacity,
    knownRegions,
    logger: log,
    settings: {
      ticketTtlMs: settings.ticketTtlMs,
      leaseMs: settings.leaseMs,
      passIntervalMs: settings.passIntervalMs,
      claimTimeoutMs: settings.claimTimeoutMs,
      maxPairsPerPass: settings.maxPairsPerPass,
      placementConcurrency: PLACEMENT_CONCURRENCY,
      curve: settings.curve,
    },
  });
  const router = createMatchmakerRouter({
    matchmaker,
    tokens: options.tokens,
    nodes: () => liveNodes(matchMaker.presence, settings.prefix),
    logger: log,
  });
  let announcer: NodeAnnouncer | undefined;
  let stopListening: (() => void) | undefined;

  return {
    matchmaker,
    ratings,
    router,
    async start() {
      announcer = new NodeAnnouncer({
        presence: matchMaker.presence,
        prefix: settings.prefix,
        region: config.region,
        publicAddress: config.publicAddress ?? "",
        maxRooms: settings.nodeMaxRooms,
        physicsQueued: options.physicsQueued,
        draining: options.draining,
      });
      await announcer.start();
      // Ratings move on the node that hosted the match, once (the rated-match row is closed in the same transaction).
      stopListening = onMatchResult((result) => {
        ratings
          .recordResult(result)
          .catch((error) => log.error({ err: error, matchId: result.matchId }, "rating the match failed"));
      });
      // Each queue is reported by the node running its pass, so summing the gauge over pods counts every ticket once.
      readQueueLengthsFrom(async () =>
        [...(await store.counts())].flatMap(([key, tickets]) => {
          const [queue, region] = key.split("|");
          if (!matchmaker.heldQueues().has(queue ?? "")) return [];
          const parsed = parseQueueId(queue ?? "");
          return parsed ? [{ game: parsed.game, tier: parsed.tier, region: region ?? "", tickets }] : [];
        }),
      );
      matchmaker.start();
      log.info(
        { region: config.region, processId: matchMaker.processId, store: config.redisUrl ? "redis" : "memory" },
        "matchmaker started",
      );
    },
    async stop() {
      await matchmaker.stop();
      readQueueLengthsFrom(undefined);
      await announcer?.stop();
    },
    async close() {
      stopListening?.();
      await store.close();
    },
  };
}
