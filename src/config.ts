import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type MatchmakerConfig, matchmakerConfig, matchmakerEnvShape } from "../matchmaker/config.ts";
import { parseTournamentEnv, type TournamentConfig } from "./tournaments/config.ts";

const PHYSICS_BACKENDS = ["auto", "webgpu", "cpu"] as const;
/** The house's rake on a pool pot may not exceed 20 %. */
const POOL_RAKE_BPS_MAX = 2_000;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const minorAmount = (fallback: bigint) =>
  z
    .string()
    .regex(/^\d{1,15}$/, "must be a whole number of minor units")
    .transform((value) => BigInt(value))
    .default(fallback);

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** `COUNT/SECONDS`, e.g. `20/600`: at most 20 in any 600-second window. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,7}\/\d{1,6}$/, "must be COUNT/SECONDS, e.g. 20/600")
    .default(fallback)
    .transform((value) => {
      const [count, seconds] = value.split("/").map(Number) as [number, number];
      return { count, windowMs: seconds * 1000 };
    })
    .refine((limit) => limit.count >= 1 && limit.windowMs >= 1000, "needs a count and a window of at least 1");

const perSecond = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000_000).default(fallback);

/** Comma-separated origins (`https://play.example.com`); each must be scheme://host[:port] with nothing after it. */
const originList = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const origins: string[] = [];
    for (const item of value.split(",").map((part) => part.trim())) {
      if (item === "") continue;
      let url: URL | undefined;
      try {
        url = new URL(item);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, "").toLowerCase()) {
        ctx.addIssue({
          code: "custom",
          message: `${JSON.stringify(item)} is not an origin like https://play.example.com`,
        });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins;
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: port(2567),
    DATABASE_URL: optionalText.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
    ),
    DATA_DIR: z.string().trim().min(1).default("./data"),
    REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/, error: "must be a redis:// URL" }).optional()),
    REGION: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes")
      .default("local"),
    PUBLIC_ADDRESS: optionalText,
    JWT_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .default(7 * 24 * 3600),
    MONITOR_USER: optionalText,
    MONITOR_PASSWORD: optionalText,
    CORS_ORIGINS: originList,
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    RATE_LIMIT_GUEST_SIGNUPS: rateLimit("20/600"),
    RATE_LIMIT_MATCHMAKE: rateLimit("20/10"),
    RATE_LIMIT_MATCHMAKE_IP: rateLimit("120/60"),
    RATE_LIMIT_HTTP: rateLimit("600/60"),
    RATE_LIMIT_WS_CONNECTS: rateLimit("120/60"),
    WS_MESSAGES_PER_SECOND: perSecond(40),
    WS_MESSAGES_PER_SECOND_PER_IP: perSecond(160),
    WS_BYTES_PER_SECOND: perSecond(64 * 1024),
    WS_SEND_BUFFER_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .max(64 * 1024 * 1024)
      .default(512 * 1024),
    WS_PING_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    WS_PING_MAX_MISSED: z.coerce.number().int().min(1).max(10).default(2),
    FLOOD_PENALTY_S: z.coerce.number().int().min(0).max(3600).default(15),
    PHYSICS_BACKEND: z.enum(PHYSICS_BACKENDS).default("auto"),
    POOL_RAKE_BPS: z.coerce.number().int().min(0).max(POOL_RAKE_BPS_MAX).default(500),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    SHUTDOWN_DEADLINE_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(15 * 60_000)
      .default(30_000),
    CURRENCY: z
      .string()
      .regex(/^[A-Z]{3,8}$/, "must be 3 to 8 capital letters")
      .default("DEMO"),
    CURRENCY_SCALE: z.coerce.number().int().min(0).max(6).default(2),
    STARTING_GRANT_MINOR: minorAmount(1_000_000n),
    TOPUP_MINOR: minorAmount(100_000n),
    TOPUP_COOLDOWN_S: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .default(24 * 3600),
    ROUND_LEASE_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(10 * 60_000)
      .default(30_000),
    ...matchmakerEnvShape,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.JWT_SECRET === undefined) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required when NODE_ENV=production" });
    }
    if ((env.MONITOR_USER === undefined) !== (env.MONITOR_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.MONITOR_USER === undefined ? "MONITOR_USER" : "MONITOR_PASSWORD"],
        message: "MONITOR_USER and MONITOR_PASSWORD must be set together",
      });
    }
  });

export type PhysicsBackendChoice = (typeof PHYSICS_BACKENDS)[number];

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  region: string;
  publicAddress: string | undefined;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  tokenTtlSeconds: number;
  /**
   * Operator credentials for the monitor and operator routes. Outside production they are generated when not
   * configured (`monitorGenerated`), so no start mode leaves those routes open; in production they must be set or
   * the routes are refused.
   */
  monitor: { user: string; password: string } | undefined;
  monitorGenerated: boolean;
  /** Origins whose browser pages may call the game routes; operator routes never answer another origin. */
  corsOrigins: string[];
  /** Reverse proxies in front of this node whose `X-Forwarded-For` entries are trusted for the client address. */
  trustProxyHops: number;
  limits: LimitsConfig;
  physicsBackend: PhysicsBackendChoice;
  /** The house's rake on a pool match's pot, in basis points. */
  poolRakeBps: number;
  logLevel: (typeof LOG_LEVELS)[number];
  shutdownDeadlineMs: number;
  wallet: WalletConfig;
  tournaments: TournamentConfig;
  matchmaker: MatchmakerConfig;
}

export interface RateLimit {
  count: number;
  windowMs: number;
}

export interface LimitsConfig {
  /** Per client address. */
  guestSignups: RateLimit;
  /** Per player (from the token). */
  matchmake: RateLimit;
  /** Per client address. */
  matchmakeIp: RateLimit;
  /** Every other route, per client address. */
  http: RateLimit;
  /** WebSocket upgrades, per client address. */
  wsConnects: RateLimit;
  wsMessagesPerSecond: number;
  wsMessagesPerSecondPerIp: number;
  wsBytesPerSecond: number;
  /**
   * Bytes a connection may have waiting to be sent beyond what the kernel holds; past it the client is too slow to
   * keep up with its room and is cut off (4010, `SLOW_CLIENT`), its seat held as for any drop.
   */
  wsSendBufferMaxBytes: number;
  /**
   * The server pings every connection this often; one that misses `wsPingMaxMissed` pongs in a row is dropped, and
   * one that has not confirmed its join after as long is cut off.
   */
  wsPingIntervalMs: number;
  wsPingMaxMissed: number;
  /** How long an address cut off for flooding is refused new connections and matchmaking. */
  floodPenaltyMs: number;
}

export interface WalletConfig {
  currency: string;
  /** Digits after the decimal point: 2 means 1.00 is 100 minor units. */
  currencyScale: number;
  startingGrantMinor: bigint;
  topUpMinor: bigint;
  topUpCooldownSeconds: number;
  roundLeaseMs: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Reads and validates the environment once; every bad variable is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      return `${name}: ${issue.message} (got ${JSON.stringify(env[name] ?? null)})`;
    });
    throw new ConfigError(problems);
  }
  const tournaments = parseTournamentEnv(env);
  if (!tournaments.config) throw new ConfigError(tournaments.problems);
  const e = parsed.data;
  const monitorGenerated = e.MONITOR_USER === undefined && e.NODE_ENV !== "production";
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    region: e.REGION,
    publicAddress: e.PUBLIC_ADDRESS,
    jwtSecret: e.JWT_SECRET ?? randomBytes(32).toString("hex"),
    jwtSecretGenerated: e.JWT_SECRET === undefined,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    monitor: monitorGenerated
      ? { user: "operator", password: randomBytes(18).toString("base64url") }
      : e.MONITOR_USER && e.MONITOR_PASSWORD
        ? { user: e.MONITOR_USER, password: e.MONITOR_PASSWORD }
        : undefined,
    monitorGenerated,
    corsOrigins: e.CORS_ORIGINS,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    limits: {
      guestSignups: e.RATE_LIMIT_GUEST_SIGNUPS,
      matchmake: e.RATE_LIMIT_MATCHMAKE,
      matchmakeIp: e.RATE_LIMIT_MATCHMAKE_IP,
      http: e.RATE_LIMIT_HTTP,
      wsConnects: e.RATE_LIMIT_WS_CONNECTS,
      wsMessagesPerSecond: e.WS_MESSAGES_PER_SECOND,
      wsMessagesPerSecondPerIp: e.WS_MESSAGES_PER_SECOND_PER_IP,
      wsBytesPerSecond: e.WS_BYTES_PER_SECOND,
      wsSendBufferMaxBytes: e.WS_SEND_BUFFER_MAX_BYTES,
      wsPingIntervalMs: e.WS_PING_INTERVAL_MS,
      wsPingMaxMissed: e.WS_PING_MAX_MISSED,
      floodPenaltyMs: e.FLOOD_PENALTY_S * 1000,
    },
    physicsBackend: e.PHYSICS_BACKEND,
    poolRakeBps: e.POOL_RAKE_BPS,
    logLevel: e.LOG_LEVEL,
    shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS,
    wallet: {
      currency: e.CURRENCY,
      currencyScale: e.CURRENCY_SCALE,
      startingGrantMinor: e.STARTING_GRANT_MINOR,
      topUpMinor: e.TOPUP_MINOR,
      topUpCooldownSeconds: e.TOPUP_COOLDOWN_S,
      roundLeaseMs: e.ROUND_LEASE_MS,
    },
    tournaments: tournaments.config,
    matchmaker: matchmakerConfig(e),
  };
}
