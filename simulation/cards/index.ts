export * from "./card.ts";
export * from "./shoe.ts";
export * from "./values.ts";
