export * from "./config.ts";
export * from "./drawCards.ts";
export * from "./engine.ts";
export * from "./replay.ts";
export * from "./settlement.ts";
export type * from "./state.ts";
export * from "./table.ts";
export * from "./view.ts";
