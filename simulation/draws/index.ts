export * from "./config.ts";
export * from "./draw-cards.ts";
export * from "./engine.ts";
export * from "./replay.ts";
export * from "./settlement.ts";
export type * from "./state.ts";
export * from "./table.ts";
export * from "./view.ts";
