export * from "./players.ts";
export * from "./wallet.ts";
