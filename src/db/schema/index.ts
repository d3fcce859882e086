export * from "./players.ts";
export * from "./wallet.ts";
export * from "./replays.ts";
