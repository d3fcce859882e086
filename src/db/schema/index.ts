export * from "./players.ts";
export * from "./replays.ts";
export * from "./wallet.ts";
