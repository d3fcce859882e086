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
  SEAT_TAKEN: "That seat is taken.",
  ALREADY_SEATED: "You already have a seat at this table.",
  IN_HAND: "You cannot stand up with a bet in play.",
  BAD_CLIENT_SEED: "A client seed is 1 to 64 letters, digits, _ or -.",
  ROOM_FULL: "Both seats are taken.",
  NOT_IN_THIS_MATCH: "This match is for two other players.",
  NOT_YOUR_SEAT: "That is your opponent's seat.",
  NOT_STARTED: "The match has not started yet.",
  MATCH_STARTED: "The match has already started.",
  SEEDS_FIXED: "The seeds were fixed when the stakes were held.",
  STAKE_NOT_HELD: "A stake could not be held, so the match did not start.",
  ACCEPT_TIMEOUT: "The stake was not accepted in time.",
  DECISION_PENDING: "Choose how to go on after the break first.",
  NO_DECISION_PENDING: "There is nothing to decide now.",
  NOT_YOUR_DECISION: "Your opponent makes this choice.",
  INVALID_DECISION: "That choice is not on offer.",
  INVALID_CALLED_POCKET: "Call one of the six pockets.",
  NOT_IN_HAND: "The cue ball is not in hand.",
  NOT_FINITE: "That shot has an impossible number in it.",
  ELEVATION_NOT_SUPPORTED: "Only a level cue is played.",
  NO_EXTENSIONS: "You have no extensions left.",
  GAME_OVER: "The game is over.",
  REGISTRATION_NOT_OPEN: "Registration has not opened yet.",
  REGISTRATION_CLOSED: "Registration is closed.",
  TOURNAMENT_FULL: "The tournament is full.",
  ALREADY_REGISTERED: "You are already registered.",
  NOT_REGISTERED: "You are not registered.",
  ALREADY_STARTED: "The tournament has already started.",
  RATE_LIMITED: "Too many requests: wait a moment.",
  TOO_MANY_BOT_MATCHES: "Finish a practice match before starting another.",
  NOT_FOUND: "Not found.",
  BAD_REQUEST: "The server did not understand that request.",
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
