import type { Server } from "node:http";
import { format } from "node:util";
import { type BeforeUpgradeHandler, matchMaker } from "@colyseus/core";
import type { TokenService } from "../auth/tokens.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logging.ts";
import { GuardedTransport } from "./guarded-transport.ts";
import { OriginPolicy } from "./origin-policy.ts";
import { installMatchmakeErrors } from "./public-errors.ts";
import { FloodPenalties, MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from "./rate-limiter.ts";
import { RequestGate } from "./request-gate.ts";

// How Colyseus logs an onCreate that threw a RangeError (our rooms' refusal of bad options): the message, then frames.
const OPTION_REFUSAL_LOG = /^RangeError: ([A-Za-z_][\w.]{0,63}: [^\n]{1,300})\n\s+at /;

export interface HttpHardening {
  transport: GuardedTransport;
  /** Colyseus' own log lines, through our logger. */
  colyseusLogger: Record<"debug" | "info" | "warn" | "error" | "trace", (...args: unknown[]) => void>;
  /** Puts the request gate in front of every handler; call right after the server listens. */
  install(server: Server): void;
  close(): Promise<void>;
}

/** Origin rules, body caps, rate limits, message budgets and public errors for one server. */
export async function createHttpHardening(
  config: Config,
  tokens: TokenService,
  logger: Logger,
  transportOptions: { maxMessageBytes: number; beforeUpgrade?: BeforeUpgradeHandler },
): Promise<HttpHardening> {
  let limiter: RateLimiter;
  if (config.redisUrl) {
    const shared = new RedisRateLimiter(config.redisUrl, (error) =>
      logger.warn({ err: error }, "shared rate limits unavailable: counting on this node alone"),
    );
    await shared.connect();
    limiter = shared;
  } else {
    limiter = new MemoryRateLimiter();
  }

  // CORS is decided by the request gate alone: Colyseus would otherwise echo any Origin, with credentials.
  const controller = matchMaker.controller as unknown as {
    DEFAULT_CORS_HEADERS: Record<string, string>;
    getCorsHeaders: (headers: Headers) => Record<string, string>;
  };
  controller.DEFAULT_CORS_HEADERS = {};
  controller.getCorsHeaders = () => ({});
  installMatchmakeErrors(logger);

  const penalties = new FloodPenalties(config.limits.floodPenaltyMs);
  const gate = new RequestGate({
    origins: new OriginPolicy(config.corsOrigins, config.trustProxyHops > 0),
    limiter,
    penalties,
    limits: config.limits,
    tokens,
    trustProxyHops: config.trustProxyHops,
    logger,
  });
  const transport = new GuardedTransport({
    maxPayloadBytes: transportOptions.maxMessageBytes,
    sendBufferMaxBytes: config.limits.wsSendBufferMaxBytes,
    ping: { intervalMs: config.limits.wsPingIntervalMs, maxMissed: config.limits.wsPingMaxMissed },
    beforeUpgrade: transportOptions.beforeUpgrade,
    budgets: {
      messagesPerSecond: config.limits.wsMessagesPerSecond,
      messagesPerSecondPerIp: config.limits.wsMessagesPerSecondPerIp,
      bytesPerSecond: config.limits.wsBytesPerSecond,
    },
    trustProxyHops: config.trustProxyHops,
    logger,
    onFlood: (address) => penalties.penalize(address),
  });
  const colyseus = logger.child({ component: "colyseus" });
  return {
    transport,
    colyseusLogger: {
      debug: (...args) => colyseus.debug(format(...args)),
      info: (...args) => colyseus.info(format(...args)),
      warn: (...args) => colyseus.warn(format(...args)),
      error: (...args) => {
        const text = format(...args);
        // A room refusing a client's bad creation options is the client's mistake, not the server's: one line.
        const refusal = OPTION_REFUSAL_LOG.exec(text);
        if (refusal) colyseus.warn({ reason: refusal[1] }, "room creation refused");
        else colyseus.error(text);
      },
      trace: (...args) => colyseus.trace(format(...args)),
    },
    install: (server) => gate.install(server),
    close: () => limiter.close(),
  };
}
