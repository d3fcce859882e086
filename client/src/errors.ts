/** What a refusal means for the player. The server's own sentence is kept as the detail. */
const PLAIN_WORDS: Record<string, string> = {
  BAD_MESSAGE: "The server did not understand that request.",
  UNKNOWN_MESSAGE: "This table does not know that action.",
  WRONG_PHASE: "That is not possible at this point of the round.",
  NOT_YOUR_TURN: "It is not your turn.",
  BET_OUT_OF_RANGE: "That bet is outside the table limits.",
  CANNOT_DOUBLE: "You cannot double this hand.",
  CANNOT_SPLIT: "You cannot split this hand.",
  INSUFFICIENT_FUNDS: "Your balance is too low for that.",
  NOT_SEATED: "Take a seat first.",
  ALREADY_BET: "You have already bet this round.",
  NOT_IN_ROUND: "You are not in this round.",
  TABLE_CLOSING: "This table is closing.",
  ROOM_CLOSING: "This room is closing.",
  ALREADY_AT_TABLE: "You are already sitting at this table in another window.",
  ALREADY_IN_ROOM: "You are already in this room in another window.",
  STAKE_OUT_OF_RANGE: "That stake is outside the limits.",
  STAKES_DIFFER: "Your stake differs from your opponent's offer.",
  ALREADY_STAKED: "You have already offered a stake.",
  NO_STAKE: "There is no stake to withdraw.",
  ALREADY_DRAWN: "You have already drawn.",
  MATCH_OVER: "The match is over.",
  NO_OPPONENT: "Wait for an opponent first.",
  OPPONENT_CANNOT_COVER: "Your opponent can no longer cover the stake.",
  NO_SUCH_CHALLENGE: "No open challenge has that code.",
  WRONG_CODE: "That challenge code is wrong.",
  SHOT_IN_PROGRESS: "The balls are still moving.",
  CALLED_POCKET_REQUIRED: "Call a pocket for the 8 first.",
  PLACEMENT_REQUIRED: "Place the cue ball first.",
  OFF_TABLE: "The cue ball must be on the table.",
  OVERLAPS_BALL: "The cue ball cannot sit on another ball.",
  NOT_BEHIND_HEAD_STRING: "Place the cue ball behind the head string (the kitchen).",
  SPEED_TOO_LOW: "Hit a little harder.",
  SPEED_TOO_HIGH: "That is harder than a cue can hit.",
  MISCUE: "Too much spin: that would miscue.",
  PHYSICS_UNAVAILABLE: "The table could not simulate the shot: shoot again.",
  BUSY: "The server is busy: try again in a moment.",
  TOKEN_MISSING: "Please sign in.",
  TOKEN_INVALID: "Your sign-in is no longer valid: please sign in again.",
  TOKEN_EXPIRED: "Your sign-in has expired: please sign in again.",
  TOPUP_COOLDOWN: "You have topped up recently: try again later.",
  TOPUP_NOT_NEEDED: "Your balance is still enough to play.",
  INTERNAL: "Something went wrong on the server.",
};

export interface ServerRefusal {
  type?: string;
  code: string;
  message: string;
}

export function plainWords(refusal: ServerRefusal): string {
  const sentence = PLAIN_WORDS[refusal.code];
  if (!sentence) return refusal.message || `The server refused (${refusal.code}).`;
  return refusal.message && refusal.code !== "INTERNAL" ? `${sentence} (${refusal.message})` : sentence;
}

/** A failed join or request from the SDK or fetch, in words. */
export function describeFailure(error: unknown): string {
  if (error && typeof error === "object") {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : "";
    const named = /^([A-Z_]{3,}):?\s*(.*)$/.exec(text);
    if (named) return plainWords({ code: named[1]!, message: named[2] ?? "" });
    if (code === 525 || /token/i.test(text)) return plainWords({ code: "TOKEN_INVALID", message: "" });
    if (text.includes("Failed to fetch") || text.includes("NetworkError")) {
      return "The server cannot be reached: check your connection.";
    }
    if (text) return text;
  }
  return "Something went wrong.";
}
