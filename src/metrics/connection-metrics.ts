import { Counter } from "prom-client";
import { registry } from "./metrics.ts";

const connectionsCut = new Counter({
  name: "tablestakes_connections_cut_total",
  help: "WebSocket connections the server closed on a client's behaviour, by reason (RATE_LIMITED, BAD_MESSAGE, SLOW_CLIENT, JOIN_NOT_CONFIRMED)",
  labelNames: ["reason"] as const,
  registers: [registry],
});

/** Counts one cut-off connection; `reason` is the close reason's code (the part before the colon). */
export function recordConnectionCut(reason: string): void {
  connectionsCut.inc({ reason });
}
