export * from "./players.ts";
