import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";

const PROVOKE = fileURLToPath(new URL("./fixtures/provoke-faults.ts", import.meta.url));

describe("the server process", () => {
  afterAll(() => killSpawnedServers());

  it("logs an unhandled rejection and an uncaught exception and keeps serving", async () => {
    const port = await freePort();
    const node = spawnServer({
      PORT: String(port),
      DATA_DIR: "memory://",
      PHYSICS_BACKEND: "cpu",
      NODE_OPTIONS: `--import=${PROVOKE}`,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForOutput(node, /server listening/);
    node.child.kill("SIGUSR2");
    await waitForOutput(node, /unhandled promise rejection/);
    await waitForOutput(node, /uncaught exception/);
    expect(node.output()).toMatch(/provoked rejection/);
    expect(node.output()).toMatch(/provoked exception/);
    expect(node.child.exitCode).toBeNull();
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const guest = await signInGuest(url, "Still Serving");
    expect(guest.token).toBeTruthy();
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  }, 90_000);
});
