export * from "./prizes.ts";
