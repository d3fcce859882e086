import type { IncomingMessage } from "node:http";

function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith("::ffff:") ? trimmed.slice("::ffff:".length) : trimmed;
}

/**
 * The address a request came from. With `trustProxyHops` reverse proxies in front of this node, each appends the
 * address it saw to `X-Forwarded-For`, so the client is the entry that many places from the end; anything before it
 * was written by the client and is ignored. Without trusted proxies the header is ignored altogether.
 */
export function clientAddress(req: IncomingMessage, trustProxyHops: number): string {
  const peer = normalize(req.socket.remoteAddress ?? "unknown");
  if (trustProxyHops === 0) return peer;
  const header = req.headers["x-forwarded-for"];
  const entries = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return peer;
  return normalize(entries[Math.max(0, entries.length - trustProxyHops)]!);
}
