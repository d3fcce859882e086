import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "tablestakes-"));
afterAll(() => {
  killSpawnedServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the server process on its embedded defaults", () => {
  it("stops at once with one message naming every bad variable", async () => {
    const server = spawnServer({ PORT: "not-a-port", REGION: "Bad Region!", DATA_DIR: dataDir });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/PORT: .*"not-a-port"/);
    expect(server.output()).toMatch(/REGION: /);
  });

  it("refuses to start in production without JWT_SECRET", async () => {
    const server = spawnServer({ NODE_ENV: "production", DATA_DIR: dataDir });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/JWT_SECRET: is required when NODE_ENV=production/);
  });

  it("starts on PGlite with local presence, keeps players across a restart, and exits 0 on SIGTERM", async () => {
    const env = { PORT: "25671", DATA_DIR: dataDir, JWT_SECRET: "a-secret-for-this-test-that-is-long-enough" };
    const url = "http://127.0.0.1:25671";

    const first = spawnServer(env);
    await waitForOutput(first, /server listening/);
    const guest = await signInGuest(url, "Persistent Pat");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/"database":"pglite"/);
    expect(first.output()).toMatch(/shutdown complete/);

    const second = spawnServer(env);
    await waitForOutput(second, /server listening/);
    const room = await sdkClient(url, guest.token).joinOrCreate("lobby");
    const profile = await new Promise<{ displayName: string }>((resolve) => room.onMessage("profile", resolve));
    expect(profile.displayName).toBe("Persistent Pat");
    await room.leave();
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });
});
