import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server suites bind real ports and share one Postgres/Redis; running files one at a time keeps them independent.
    fileParallelism: false,
    pool: "forks",
  },
});
