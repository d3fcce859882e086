import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kebabCase } from "../../src/fair/verification.ts";
import { createFairRouter } from "../../src/fair/verify-route.ts";

const SEED = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
const HASH = "e0bc614e4fd035a488619799853b075143deea596c477b8dc077e309c0fe42e9"; // printf '%s' SEED | openssl dgst -sha256

function verify(...args: string[]) {
  const run = spawnSync(process.execPath, ["src/cli/verify.ts", ...args], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let base: string;
let close: () => void;
beforeAll(async () => {
  const listener = express().use(createFairRouter()).listen(0);
  await new Promise((resolve) => listener.once("listening", resolve));
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  close = () => listener.close();
});
afterAll(() => close());

describe("npm run verify", () => {
  it("--help prints the usage on stdout and exits 0", () => {
    for (const flag of ["--help", "-h"]) {
      const { status, stdout, stderr } = verify(flag);
      expect(status).toBe(0);
      expect(stderr).toBe("");
      expect(stdout).toMatch(/^usage:/);
      for (const option of ["--server-seed", "--server-seed-hash", "--client-seed", "--nonce", "--mode draw"]) {
        expect(stdout).toContain(option);
      }
    }
  });

  it("prints the recomputed draw (the openssl-derived vector) as text and JSON", () => {
    const text = verify("--mode", "draw", "--server-seed", SEED, "--client-seed", "alice", "--nonce", "0", "--count=8");
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("7d 4h 8d Jc 4c 3c 4s Kh");
    const shoe = verify("--server-seed", SEED, "--client-seed", "alice", "--nonce", "0", "--decks", "6", "--json");
    const json = JSON.parse(shoe.stdout);
    expect(json.cards.length).toBe(312);
    expect(json.serverSeedHash).toBe(HASH);
  });

  it("checks the seed against --server-seed-hash and exits 1 when it does not match", () => {
    const good = verify("--mode", "hash", "--server-seed", SEED, "--server-seed-hash", HASH);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain("--server-seed-hash MATCHES");
    const wrong = createHash("sha256").update("another seed").digest("hex");
    const bad = verify("--mode", "hash", "--server-seed", SEED, "--server-seed-hash", wrong);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("DOES NOT MATCH");
  });

  it("refuses an unknown or misnamed option with status 2, naming it and the option meant", () => {
    for (const [option, meant] of [
      ["--commitment", "--server-seed-hash"],
      ["--serverSeedHash", "--server-seed-hash"],
      ["--server_seed_hash", "--server-seed-hash"],
      ["--seed", null],
    ] as const) {
      const { status, stdout, stderr } = verify("--mode", "hash", "--server-seed", SEED, option, HASH);
      expect(status, option).toBe(2);
      expect(stdout).toBe("");
      const first = stderr.split("\n")[0]!;
      expect(first, option).toContain("unknown parameter --");
      if (meant) expect(first, option).toContain(`did you mean ${meant}?`);
    }
  });

  it("points the flags of the earlier command line (--hash, --draw) to --mode", () => {
    for (const flag of ["hash", "draw"]) {
      const { status, stderr } = verify(`--${flag}`, "--server-seed", SEED, "--client-seed", "a", "--nonce", "0");
      expect(status).toBe(2);
      expect(stderr.split("\n")[0]).toContain(`unknown parameter --${flag} (did you mean --mode ${flag}?)`);
    }
  });

  it("names the option of every missing, repeated, malformed or inapplicable value, with status 2", () => {
    const cases: [string[], string][] = [
      [["--client-seed", "alice", "--nonce", "0", "--decks", "1"], "--server-seed is required"],
      [["--server-seed", "xyz"], "--server-seed must be 64 lowercase hex"],
      [["--server-seed", SEED, "--nonce", "0", "--decks", "1"], "--client-seed (or --client-seeds) is required"],
      [["--server-seed", SEED, "--client-seed", "alice", "--decks", "1"], "--nonce is required"],
      [["--server-seed", SEED, "--client-seed", "alice", "--nonce", "0"], "--decks is required"],
      [
        ["--server-seed", SEED, "--client-seed", "a", "--nonce", "0", "--nonce", "1", "--decks", "1"],
        "--nonce is given",
      ],
      [
        ["--server-seed", SEED, "--client-seed", "a", "--nonce", "0", "--mode", "draw", "--count", "99"],
        "--count must",
      ],
      [["--server-seed", SEED, "--mode", "hash", "--decks", "6"], "--decks does not apply to mode hash"],
      [["--server-seed", SEED, "--client-seed", "a", "--nonce"], "--nonce needs a value"],
      [["--server-seed", SEED, "stray"], 'unexpected argument "stray"'],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = verify(...args);
      expect(status, args.join(" ")).toBe(2);
      expect(stderr.split("\n")[0], args.join(" ")).toContain(message);
    }
  });

  it("answers exactly what GET /fair/verify answers, over generated parameters (seeded)", async () => {
    let state = 0x5eed;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    for (let i = 0; i < 12; i++) {
      const serverSeed = createHash("sha256").update(`case ${i}`).digest("hex");
      const mode = (["shoe", "draw", "hash"] as const)[next(3)]!;
      const parameters: Record<string, string> = { mode, serverSeed };
      if (next(2) === 0)
        parameters.serverSeedHash = next(2) === 0 ? HASH : createHash("sha256").update(serverSeed).digest("hex");
      if (mode !== "hash") {
        if (next(2) === 0) parameters.clientSeed = `player-${next(1000)}`;
        else parameters.clientSeeds = `${next(3)}=ann,${3 + next(4)}=bob`;
        parameters.nonce = String(next(10_000));
        parameters.decks = String(1 + next(8));
        if (mode === "draw") parameters.count = String(1 + next(52));
      }
      const args = Object.entries(parameters).flatMap(([name, value]) => [`--${kebabCase(name)}`, value]);
      const cli = verify(...args, "--json");
      const route = await fetch(`${base}/fair/verify?${new URLSearchParams(parameters)}`);
      const label = `case ${i}: ${args.join(" ")}`;
      expect(route.status, label).toBe(200);
      expect(cli.status, label).toBe(parameters.serverSeedHash === HASH ? 1 : 0);
      expect(JSON.parse(cli.stdout), label).toEqual(await route.json());
    }
  });
});
