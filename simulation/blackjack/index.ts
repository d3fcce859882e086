export * from "./bot.ts";
export * from "./engine.ts";
export * from "./hand.ts";
export * from "./queries.ts";
export * from "./rules.ts";
export * from "./settlement.ts";
export * from "./shoe.ts";
export type * from "./state.ts";
export * from "./strategy.ts";
