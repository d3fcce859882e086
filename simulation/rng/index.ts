export * from "./hmacStream.ts";
export * from "./seeded-uniform.ts";
export * from "./seedRotation.ts";
export * from "./seeds.ts";
export * from "./shuffle.ts";
export * from "./verify.ts";
