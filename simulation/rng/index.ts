export * from "./hmac-stream.ts";
export * from "./seed-rotation.ts";
export * from "./seeded-uniform.ts";
export * from "./seeds.ts";
export * from "./shuffle.ts";
export * from "./verify.ts";
