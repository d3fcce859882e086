import type { IncomingMessage } from "node:http";

/**
 * Cross-origin rules. Game clients served by this server (same origin) and clients outside a browser (no `Origin`)
 * pass; a browser page of another origin passes only if that origin is in `CORS_ORIGINS`, and never on an operator
 * route. A refused origin gets a 403 instead of an answer its page cannot read, so no route does work for it.
 */
export type OriginVerdict =
  | { kind: "same-origin" }
  | { kind: "allowed"; origin: string }
  | { kind: "refused"; origin: string; reason: string };

const OPERATOR_PREFIXES = ["/colyseus", "/admin", "/metrics"];

export function isOperatorPath(path: string): boolean {
  return OPERATOR_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export class OriginPolicy {
  readonly #allowed: Set<string>;
  readonly #trustForwardedHost: boolean;

  constructor(allowedOrigins: readonly string[], trustForwardedHost: boolean) {
    this.#allowed = new Set(allowedOrigins);
    this.#trustForwardedHost = trustForwardedHost;
  }

  judge(req: IncomingMessage, path: string): OriginVerdict {
    const origin = firstHeader(req.headers.origin);
    if (origin === undefined) return { kind: "same-origin" };
    if (this.#isSameOrigin(req, origin)) return { kind: "same-origin" };
    if (isOperatorPath(path)) {
      return { kind: "refused", origin, reason: "operator routes answer only their own origin" };
    }
    if (this.#allowed.has(origin.toLowerCase())) return { kind: "allowed", origin };
    return { kind: "refused", origin, reason: `origin ${origin} is not in CORS_ORIGINS` };
  }

  #isSameOrigin(req: IncomingMessage, origin: string): boolean {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return false; // "null" and other opaque origins
    }
    const hosts = [firstHeader(req.headers.host)];
    if (this.#trustForwardedHost) hosts.push(firstHeader(req.headers["x-forwarded-host"])?.split(",")[0]?.trim());
    return hosts.some((candidate) => candidate !== undefined && candidate.toLowerCase() === host);
  }
}
