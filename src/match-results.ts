/**
 * A finished two-player match, as its room reports it. Rooms report here once per match; whoever cares (the
 * matchmaker's ratings) listens, so no room has to know about them.
 */
export interface MatchResult {
  game: "pool" | "draws";
  /** The room id. */
  matchId: string;
  players: readonly [string, string];
  /** null when nobody won (abandoned by both, shut down, refunded). */
  winnerPlayerId: string | null;
  reason: string;
}

type Listener = (result: MatchResult) => void;

const listeners = new Set<Listener>();

export function onMatchResult(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportMatchResult(result: MatchResult): void {
  for (const listener of listeners) listener(result);
}
