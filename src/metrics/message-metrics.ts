import { Counter, Histogram } from "prom-client";
import { registry } from "./metrics.ts";

/** How a room message ended: applied, refused as the client's mistake, or failed on the server's side. */
export type MessageOutcome = "ok" | "rejected" | "error";

const messages = new Counter({
  name: "tablestakes_messages_total",
  help: "Room messages handled, by room type, message type and outcome (ok, rejected, error)",
  labelNames: ["room", "type", "outcome"] as const,
  registers: [registry],
});

const messageDuration = new Histogram({
  name: "tablestakes_message_duration_seconds",
  help: "Time from a room message's arrival to the end of its step, queueing included, by room type",
  labelNames: ["room"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** Records one room message; `type` must be one the room registered (or "unknown"), so labels stay bounded. */
export function recordMessage(room: string, type: string, outcome: MessageOutcome, startedAtMs: number): void {
  messages.inc({ room, type, outcome });
  messageDuration.observe({ room }, (performance.now() - startedAtMs) / 1000);
}
