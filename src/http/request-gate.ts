import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { matchMaker } from "@colyseus/core";
import { AuthError, bearerToken, type TokenService } from "../auth/tokens.ts";
import type { LimitsConfig, RateLimit } from "../config.ts";
import type { Logger } from "../logging.ts";
import { clientAddress } from "./client-address.ts";
import type { OriginPolicy } from "./origin-policy.ts";
import type { FloodPenalties, RateLimiter } from "./rate-limiter.ts";

/** Intents are small: a few KiB covers every body a client sends. */
export const MAX_BODY_BYTES = 4 * 1024;
export const MAX_GUEST_BODY_BYTES = 2 * 1024;

/** Probes and scrapes are never rate limited: a refused probe would take a healthy node out of service. */
const UNLIMITED_PATHS = new Set(["/health", "/ready", "/metrics", "/__healthcheck"]);
const PREFLIGHT_MAX_AGE_S = 600;

export interface RequestGateDeps {
  origins: OriginPolicy;
  limiter: RateLimiter;
  penalties: FloodPenalties;
  limits: LimitsConfig;
  tokens: TokenService;
  trustProxyHops: number;
  logger: Logger;
}

interface Refusal {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const end = raw.search(/[?#]/);
  return end < 0 ? raw : raw.slice(0, end);
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

function isMatchmakePath(path: string): boolean {
  return path.startsWith(`/${matchMaker.controller.matchmakeRoute}/`);
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal) {
  // The SDK shows a matchmaking failure's `message` alone; rooms' refusals read "CODE: text", so these do too.
  const message = isMatchmakePath(pathOf(req.url)) ? `${refusal.error}: ${refusal.message}` : refusal.message;
  const body = JSON.stringify({ error: refusal.error, message });
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    ...refusal.headers,
  };
  // A body we refuse is never read: closing the connection is what keeps it off this process.
  if (hasBody(req)) headers.connection = "close";
  res.writeHead(refusal.status, headers);
  res.end(body);
}

function bodyLimitFor(path: string): number {
  return path === "/auth/guest" ? MAX_GUEST_BODY_BYTES : MAX_BODY_BYTES;
}

/** 413 on a declared length over the cap, 411 on a body of undeclared length; the body itself is never read. */
function bodyRefusal(req: IncomingMessage, path: string): Refusal | undefined {
  const limit = bodyLimitFor(path);
  const declared = req.headers["content-length"];
  if (declared === undefined) {
    if (req.headers["transfer-encoding"] === undefined) return undefined;
    return { status: 411, error: "LENGTH_REQUIRED", message: "send the body with a Content-Length" };
  }
  if (!/^\d{1,12}$/.test(declared)) return { status: 400, error: "BAD_REQUEST", message: "bad Content-Length" };
  if (Number(declared) > limit) {
    return { status: 413, error: "BODY_TOO_LARGE", message: `request bodies are limited to ${limit} bytes` };
  }
  return undefined;
}

function rateRefusal(retryAfterSeconds: number, what: string): Refusal {
  return {
    status: 429,
    error: "RATE_LIMITED",
    message: `too many ${what}: try again in ${retryAfterSeconds} s`,
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

function floodRefusal(retryAfterSeconds: number): Refusal {
  return {
    status: 429,
    error: "RATE_LIMITED",
    message: `this address was cut off for flooding: try again in ${retryAfterSeconds} s`,
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

/**
 * Runs before every HTTP handler, Colyseus' matchmaking included (which reads its body itself): origin rules,
 * body caps, the player token of matchmaking calls and rate limits, each answered with a 4xx `{error, message}`.
 */
export class RequestGate {
  readonly #deps: RequestGateDeps;

  constructor(deps: RequestGateDeps) {
    this.#deps = deps;
  }

  /** Puts the gate in front of the HTTP server's request and upgrade handlers (call once, after listen). */
  install(server: Server) {
    const requestListeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.#onRequest(req, res)
        .then((passed) => {
          if (passed) for (const listener of requestListeners) listener.call(server, req, res);
        })
        .catch((error) => {
          this.#deps.logger.error({ err: error }, "request gate failed");
          if (!res.headersSent) refuse(req, res, { status: 500, error: "INTERNAL", message: "internal error" });
        });
    });

    const upgradeListeners = server.listeners("upgrade") as ((req: IncomingMessage, s: Duplex, h: Buffer) => void)[];
    server.removeAllListeners("upgrade");
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on("error", () => socket.destroy());
      this.#upgradeRefusal(req)
        .then((refusal) => {
          if (!refusal) {
            for (const listener of upgradeListeners) listener.call(server, req, socket, head);
            return;
          }
          const body = JSON.stringify({ error: refusal.error, message: refusal.message });
          const extra = Object.entries(refusal.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
          socket.end(
            `HTTP/1.1 ${refusal.status} ${refusal.error}\r\nContent-Type: application/json\r\n${extra.join("")}` +
              `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          );
        })
        .catch(() => socket.destroy());
    });
  }

  async #hit(bucket: string, key: string, limit: RateLimit) {
    return this.#deps.limiter.hit(bucket, key, limit);
  }

  async #upgradeRefusal(req: IncomingMessage): Promise<Refusal | undefined> {
    const path = pathOf(req.url);
    const verdict = this.#deps.origins.judge(req, path);
    if (verdict.kind === "refused") return { status: 403, error: "ORIGIN_NOT_ALLOWED", message: verdict.reason };
    const address = clientAddress(req, this.#deps.trustProxyHops);
    const penalty = this.#deps.penalties.retryAfterSeconds(address);
    if (penalty > 0) return floodRefusal(penalty);
    const decision = await this.#hit("ws", address, this.#deps.limits.wsConnects);
    if (!decision.allowed) return rateRefusal(decision.retryAfterSeconds, "connections from this address");
    return undefined;
  }

  /** True when the request may go on to the handlers; otherwise it has been answered. */
  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = pathOf(req.url);
    const verdict = this.#deps.origins.judge(req, path);
    if (verdict.kind === "refused") {
      refuse(req, res, { status: 403, error: "ORIGIN_NOT_ALLOWED", message: verdict.reason });
      return false;
    }
    if (verdict.kind === "allowed") {
      res.setHeader("access-control-allow-origin", verdict.origin);
      res.setHeader("vary", "Origin");
      if (req.method === "OPTIONS") {
        res.writeHead(204, {
          "access-control-allow-methods": "GET, POST",
          "access-control-allow-headers": "Content-Type, Authorization",
          "access-control-max-age": String(PREFLIGHT_MAX_AGE_S),
        });
        res.end();
        return false;
      }
    }

    const tooBig = bodyRefusal(req, path);
    if (tooBig) {
      refuse(req, res, tooBig);
      return false;
    }

    const { limits } = this.#deps;
    const address = clientAddress(req, this.#deps.trustProxyHops);
    if (req.method === "POST" && isMatchmakePath(path)) {
      const penalty = this.#deps.penalties.retryAfterSeconds(address);
      if (penalty > 0) {
        refuse(req, res, floodRefusal(penalty));
        return false;
      }
      // The token is checked before anything reads the body: an anonymous caller costs one HMAC.
      let playerId: string;
      try {
        playerId = (await this.#deps.tokens.verify(bearerToken(req.headers.authorization))).playerId;
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        refuse(req, res, { status: 401, error: error.code, message: error.message });
        return false;
      }
      for (const [bucket, key, limit] of [
        ["matchmake-player", playerId, limits.matchmake],
        ["matchmake-ip", address, limits.matchmakeIp],
      ] as const) {
        const decision = await this.#hit(bucket, key, limit);
        if (!decision.allowed) {
          refuse(req, res, rateRefusal(decision.retryAfterSeconds, "matchmaking calls"));
          return false;
        }
      }
      return true;
    }
    if (req.method === "POST" && path === "/auth/guest") {
      const decision = await this.#hit("guest", address, limits.guestSignups);
      if (!decision.allowed) {
        refuse(req, res, rateRefusal(decision.retryAfterSeconds, "guest sign-ups from this address"));
        return false;
      }
      return true;
    }
    if (!UNLIMITED_PATHS.has(path)) {
      const decision = await this.#hit("http", address, limits.http);
      if (!decision.allowed) {
        refuse(req, res, rateRefusal(decision.retryAfterSeconds, "requests from this address"));
        return false;
      }
    }
    return true;
  }
}
