export * from "./players.ts";
export * from "./ratings.ts";
export * from "./replays.ts";
export * from "./tournaments.ts";
export * from "./wallet.ts";
