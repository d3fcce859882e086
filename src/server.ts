import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { matchMaker, type Presence, Server } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Application } from "express";
import { Redis } from "ioredis";
import { createMatchmaking } from "../matchmaker/service.ts";
import { BlackjackRoom } from "../rooms/BlackjackRoom.ts";
import { DrawRoom } from "../rooms/DrawRoom.ts";
import { LobbyRoom } from "../rooms/LobbyRoom.ts";
import { PoolRoom } from "../rooms/PoolRoom.ts";
import { guardReconnectionUpgrade, guardReconnectRequests } from "../rooms/reconnection-guard.ts";
import { TournamentRoom } from "../rooms/TournamentRoom.ts";
import { createGuestRouter } from "./auth/guest-route.ts";
import { TokenService } from "./auth/tokens.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import { createFairRouter } from "./fair/verify-route.ts";
import { createHttpHardening } from "./http/hardening.ts";
import { logOperatorAccess, requireOperator } from "./http/operator-auth.ts";
import { createOpsRouter, type ReadinessCheck } from "./http/ops-routes.ts";
import { createPlayRouter } from "./http/play-route.ts";
import { httpErrorHandler } from "./http/public-errors.ts";
import { createSafeMonitor } from "./http/safe-monitor.ts";
import type { Logger } from "./logging.ts";
import { ShotBatcher, selectPhysicsBackend } from "./physics/batcher.ts";
import { PlayerDirectory } from "./players/players.ts";
import { createPracticeRouter } from "./practice/practice-route.ts";
import { createReplayRouter } from "./replays/router.ts";
import { provideServices, type Services } from "./services.ts";
import { colyseusMatchRooms } from "./tournaments/colyseus-rooms.ts";
import { TournamentDriver } from "./tournaments/driver.ts";
import { createTournamentRouter } from "./tournaments/http.ts";
import { TournamentService } from "./tournaments/service.ts";
import { createWalletRouter } from "./wallet/http.ts";
import { RoundLeaseKeeper } from "./wallet/lease-keeper.ts";
import { RoundRecovery } from "./wallet/recovery.ts";
import { Wallet } from "./wallet/wallet.ts";

// Game messages are small intents; 16 KiB leaves room for a pool shot with its ball-in-hand placement.
const MAX_MESSAGE_BYTES = 16 * 1024;

export interface GameServer {
  readonly port: number;
  readonly services: Services;
  /** Stops taking rooms, lets running ones finish until the deadline, then disconnects them and closes. */
  shutdown(reason: string): Promise<void>;
}

async function readinessChecks(
  config: Config,
  database: Database,
  redis: Redis | undefined,
): Promise<ReadinessCheck[]> {
  const checks: ReadinessCheck[] = [
    { name: "database", check: () => database.ping() },
    {
      name: "migrations",
      check: async () => {
        const { applied, expected } = await database.migrationStatus();
        if (applied < expected) throw new Error(`${applied} of ${expected} applied`);
      },
    },
  ];
  if (config.redisUrl && redis) {
    checks.push({
      name: "redis",
      check: async () => {
        await redis.ping();
      },
    });
  }
  return checks;
}

export async function startGameServer(config: Config, database: Database, logger: Logger): Promise<GameServer> {
  const tokens = new TokenService(config.jwtSecret, config.tokenTtlSeconds);
  const players = new PlayerDirectory(database.db);
  const wallet = new Wallet(database.db, config.wallet, logger);
  const nodeId = `${config.region}:${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const leases = new RoundLeaseKeeper(wallet, {
    nodeId,
    leaseMs: config.wallet.roundLeaseMs,
    onLost: (roundId) => logger.error({ roundId }, "lost the lease of a running round"),
    onError: (error) => logger.warn({ err: error }, "lease renewal failed"),
  });
  const recovery = new RoundRecovery(wallet, {
    everyMs: config.wallet.roundLeaseMs,
    onRecovered: (report) => logger.info(report, "recovered abandoned rounds"),
    onError: (error) => logger.warn({ err: error }, "round recovery failed"),
  });
  const physics = new ShotBatcher(await selectPhysicsBackend(config.physicsBackend, { logger }));
  logger.info({ backend: physics.backend }, "pool physics backend");
  const tournaments = new TournamentService(database.db, { nodeId, ...config.tournaments });
  const tournamentDriver = new TournamentDriver(tournaments, colyseusMatchRooms, {
    tickMs: config.tournaments.tickMs,
    livenessMs: 2_000,
    placementsMax: 5,
    recurring: config.tournaments.recurring,
    logger,
  });
  const services: Services = {
    config,
    logger,
    database,
    players,
    tokens,
    wallet,
    leases,
    nodeId,
    physics,
    tournaments,
  };
  provideServices(services);
  // Rounds left open by a node that died are refunded (or settled) before this node takes players.
  const recovered = await recovery.runOnce();
  if (recovered.settled.length + recovered.refunded.length > 0) logger.info(recovered, "recovered abandoned rounds");
  leases.start();
  recovery.start();

  let presence: Presence | undefined;
  let driver: RedisDriver | undefined;
  let redisForChecks: Redis | undefined;
  if (config.redisUrl) {
    presence = new RedisPresence(config.redisUrl);
    driver = new RedisDriver(config.redisUrl);
    // A separate connection that fails fast, so /ready answers promptly when Redis is gone.
    redisForChecks = new Redis(config.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    redisForChecks.on("error", () => {});
    await redisForChecks.connect().catch(() => {});
  }

  let accepting = true;
  const matchmaking = createMatchmaking({
    config,
    db: database.db,
    wallet,
    tokens,
    logger,
    nodeId,
    physicsQueued: () => physics.queued,
    draining: () => !accepting,
  });
  const operatorGuard = requireOperator(config.monitor);
  const checks = await readinessChecks(config, database, redisForChecks);
  const hardening = await createHttpHardening(config, tokens, logger, {
    maxMessageBytes: MAX_MESSAGE_BYTES,
    beforeUpgrade: guardReconnectionUpgrade,
  });

  const server = new Server({
    transport: hardening.transport,
    logger: hardening.colyseusLogger,
    presence,
    driver,
    publicAddress: config.publicAddress,
    gracefullyShutdown: false,
    greet: false,
    express: (app: Application) => {
      app.disable("x-powered-by");
      app.use(
        createOpsRouter({
          checks,
          accepting: () => accepting,
          monitor: { guard: operatorGuard, handler: createSafeMonitor() },
        }),
      );
      app.use(
        createGuestRouter({
          players,
          tokens,
          logger,
          onPlayerCreated: async (player) => {
            await wallet.ensurePlayerWallet(player.id);
          },
        }),
      );
      app.use(createWalletRouter({ wallet, tokens, requireOperator: operatorGuard }));
      app.use(createFairRouter());
      app.use(createReplayRouter(database.db));
      app.use(createTournamentRouter({ service: tournaments, tokens, requireOperator: operatorGuard }));
      app.use(createPlayRouter());
      app.use(matchmaking.router);
      app.use(createPracticeRouter({ players, tokens, physics, logger }));
      app.use(httpErrorHandler(logger));
    },
  });
  guardReconnectRequests();
  server.define("lobby", LobbyRoom);
  // Each room's static onAuth normalises the options these filter on (rooms/room-options.ts). Standard tables with
  // the same rules and minimum are filled before new ones open; a custom table is found by its code only.
  server.define("blackjack", BlackjackRoom).filterBy(["tier", "rules", "minBetMinor", "code"]);
  // Quick matches pair players asking for the same stake and tier; a private challenge is found by its code.
  server.define("draws", DrawRoom).filterBy(["mode", "tier", "stakeMinor", "code"]);
  server.define("pool", PoolRoom).filterBy(["mode", "tier", "stakeMinor", "code", "table"]);
  // One lobby per tournament, found by its id.
  server.define("tournament", TournamentRoom).filterBy(["tournamentId"]);

  await server.listen(config.port);
  if (server.transport.server) hardening.install(server.transport.server);
  await matchmaking.start();
  tournamentDriver.start();
  const address = server.transport.server?.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  logger.info(
    { port, region: config.region, database: database.kind, presence: config.redisUrl ? "redis" : "local" },
    "server listening",
  );
  logOperatorAccess(config, logger);

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      accepting = false;
      // Another node takes the tournaments over while this one drains its match rooms.
      await tournamentDriver.stop();
      logger.info({ reason, deadlineMs: config.shutdownDeadlineMs }, "shutting down: no new rooms");
      await matchmaking.stop().catch((error) => logger.warn({ err: error }, "stopping the matchmaker failed"));
      const deadline = setTimeout(() => {
        logger.warn("shutdown deadline reached: disconnecting the rooms still running");
        Promise.all(matchMaker.disconnectAll(4001)).catch((error) => logger.error({ err: error }, "disconnect failed"));
      }, config.shutdownDeadlineMs);
      try {
        await server.gracefullyShutdown(false);
      } finally {
        clearTimeout(deadline);
      }
      await matchmaking.close();
      await physics.close();
      await leases.stop();
      await recovery.stop();
      redisForChecks?.disconnect();
      await hardening.close();
      provideServices(undefined);
      logger.info("shutdown complete");
    })();
    return stopping;
  };

  return { port, services, shutdown };
}
