import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
const HASH = "e0bc614e4fd035a488619799853b075143deea596c477b8dc077e309c0fe42e9"; // printf '%s' SEED | openssl dgst -sha256
const verify = (...args: string[]) =>
  execFileSync(process.execPath, ["src/cli/verify.ts", ...args], { encoding: "utf8" });

describe("verify CLI", () => {
  it("prints the recomputed draw (the openssl-derived vector) as text and JSON", () => {
    const text = verify("--server-seed", SEED, "--client-seed", "alice", "--nonce", "0", "--draw", "--count", "8");
    expect(text).toContain("7d 4h 8d Jc 4c 3c 4s Kh");
    const json = JSON.parse(
      verify("--server-seed", SEED, "--client-seed", "alice", "--nonce", "0", "--decks", "6", "--json"),
    );
    expect(json.cards.length).toBe(312);
    expect(json.serverSeedHash).toBe(HASH);
  });

  it("checks a commitment and fails with status 1 when it does not match", () => {
    expect(verify("--hash", "--server-seed", SEED, "--commitment", HASH)).toContain("MATCHES");
    const bad = spawnSync(process.execPath, [
      "src/cli/verify.ts",
      "--hash",
      "--server-seed",
      SEED,
      "--commitment",
      "ab",
    ]);
    expect(bad.status).toBe(1);
    const malformed = spawnSync(process.execPath, ["src/cli/verify.ts", "--server-seed", "xyz"]);
    expect(malformed.status).toBe(2);
  });
});
