// `npm run dev:cluster`: the nodes share Postgres and Redis, so a token from one node and a room on another work
// together, each node reports its own region, and stopping the cluster drains every node and exits 0.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest } from "../support/game-server.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type ScratchDatabase,
} from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const services = (await postgresAvailable()) && (await redisAvailable());
const DEV_CLUSTER = fileURLToPath(new URL("../../src/cli/dev-cluster.ts", import.meta.url));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function freePortRun(length: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const free = await Promise.all(Array.from({ length }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error("no run of free ports");
}

describe.skipIf(!services)("npm run dev:cluster", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_cluster");
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it("starts nodes in their regions that share players and rooms, and stops them cleanly", async () => {
    const basePort = await freePortRun(3);
    const cluster = spawn(
      process.execPath,
      [DEV_CLUSTER, "--nodes", "3", "--regions", "eu,us", "--base-port", String(basePort)],
      {
        env: { PATH: process.env.PATH ?? "", DATABASE_URL: scratch.url, REDIS_URL: REDIS_TEST_URL, LOG_LEVEL: "info" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    cluster.stdout.on("data", (chunk) => {
      output += chunk;
    });
    cluster.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => cluster.on("exit", (code) => resolve(code)));
    try {
      await waitFor(
        () => {
          if (cluster.exitCode !== null) throw new Error("the cluster exited");
          return output.includes("cluster ready");
        },
        "the cluster to start",
        60_000,
        100,
      ).catch((error: Error) => {
        throw new Error(`${error.message}:\n${output}`);
      });
      const urls = [0, 1, 2].map((i) => `http://127.0.0.1:${basePort + i}`);
      for (const [i, region] of ["eu", "us", "eu"].entries()) {
        expect(output).toMatch(
          new RegExp(`\\[${region}-${i === 2 ? 2 : 1}\\] .*"region":"${region}".*server listening`),
        );
        expect((await fetch(`${urls[i]}/ready`)).status).toBe(200);
      }

      // A player signed in on eu-1 opens a table there; a player signed in on us-1 joins it through us-1.
      const host = await signInGuest(urls[0]!, "Host Player");
      const guest = await signInGuest(urls[1]!, "Guest Player");
      const table = await sdkClient(urls[0]!, host.token).create("blackjack", {});
      const joined = await sdkClient(urls[1]!, guest.token).joinById(table.roomId);
      expect(joined.roomId).toBe(table.roomId);
      // The guest's token, signed by us-1, is accepted on eu-2 too.
      const wallet = await fetch(`${urls[2]}/wallet`, { headers: { authorization: `Bearer ${guest.token}` } });
      expect(wallet.status).toBe(200);
      await joined.leave();
      await table.leave();

      cluster.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output.match(/shutdown complete/g)).toHaveLength(3);
    } finally {
      if (cluster.exitCode === null) cluster.kill("SIGKILL");
    }
  }, 120_000);
});
