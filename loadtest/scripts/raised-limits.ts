/**
 * The per-address rate limits (src/config.ts) raised for a server that a load test, a benchmark or a suite drives
 * from one machine: every client there shares one address, which the defaults are sized to stop.
 */
export const RAISED_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_GUEST_SIGNUPS: "1000000/60",
  RATE_LIMIT_MATCHMAKE: "1000000/10",
  RATE_LIMIT_MATCHMAKE_IP: "1000000/60",
  RATE_LIMIT_HTTP: "1000000/60",
  RATE_LIMIT_WS_CONNECTS: "1000000/60",
  WS_MESSAGES_PER_SECOND_PER_IP: "1000000000",
};
