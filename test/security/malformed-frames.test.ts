import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { killSpawnedServers, type ServerProcess, spawnServer, waitForOutput } from "../support/server-process.ts";
import { waitFor } from "../support/wait.ts";
import { joinRaw, type RawRoomClient, signInFrom } from "./raw-client.ts";

const ROOM_DATA = 13;

/** A ROOM_DATA frame: protocol byte, the type as a MessagePack fixstr, then `payload` as raw bytes. */
function roomData(type: string | Buffer, payload: Buffer): Buffer {
  const typeBytes = typeof type === "string" ? Buffer.from(type, "utf8") : type;
  return Buffer.concat([Buffer.from([ROOM_DATA, 0xa0 | typeBytes.length]), typeBytes, payload]);
}

const ATTACKS: { name: string; send(client: RawRoomClient): void; closeCodes: number[] }[] = [
  {
    name: "truncated MessagePack",
    send: (client) => client.socket.send(roomData("profile", Buffer.from([0x85, 0xa1]))),
    closeCodes: [4002],
  },
  {
    name: "a string longer than the frame",
    send: (client) => client.socket.send(roomData("profile", Buffer.from([0xd9, 0x10, 0x61]))),
    closeCodes: [4002],
  },
  {
    name: "15,000-deep nesting",
    send: (client) =>
      client.socket.send(roomData("profile", Buffer.concat([Buffer.alloc(15_000, 0x91), Buffer.from([0xc0])]))),
    closeCodes: [4002],
  },
  {
    name: "a message type that is not UTF-8",
    send: (client) => client.socket.send(roomData(Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0x80]))),
    closeCodes: [4002],
  },
  {
    name: "a text frame that is not UTF-8",
    send: (client) => client.socket.send(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), { binary: false }),
    closeCodes: [1007],
  },
];

describe("malformed frames from game clients", () => {
  let node: ServerProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    node = spawnServer({ PORT: String(port), DATA_DIR: "memory://", PHYSICS_BACKEND: "cpu", LOG_LEVEL: "info" });
    url = `http://127.0.0.1:${port}`;
    await waitForOutput(node, /server listening/);
  });
  afterAll(() => killSpawnedServers());

  it("close only the offending connection, each with one warning and no stack trace, and the server plays on", async () => {
    const logStart = node.output().length;
    const bystanderToken = await signInFrom(url, "Bystander");
    const bystander = await joinRaw(url, bystanderToken, "joinOrCreate", "lobby");
    await bystander.joined;

    for (const [index, attack] of ATTACKS.entries()) {
      const token = await signInFrom(url, `Attacker ${index}`);
      const attacker = await joinRaw(url, token, "joinOrCreate", "lobby");
      await attacker.joined;
      // Three offending frames in a row: the first closes the connection, and the log says so once.
      for (let i = 0; i < 3; i++) attack.send(attacker);
      const closed = await attacker.closed;
      expect(attack.closeCodes, attack.name).toContain(closed.code);
      if (closed.code === 4002) expect(closed.reason, attack.name).toMatch(/^BAD_MESSAGE: /);
    }

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);

    const warningCount = () =>
      (
        node
          .output()
          .slice(logStart)
          .match(/cut off|protocol error/g) ?? []
      ).length;
    await waitFor(() => warningCount() >= ATTACKS.length, "a warning for every attack", 10_000, 50);
    const log = node.output().slice(logStart);
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toMatch(/\\n\s+at /);
    const lines = log.split("\n").filter((line) => line.startsWith("{"));
    const parsed = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(parsed.filter((entry) => entry.level >= 50)).toEqual([]);
    const warnings = parsed.filter((entry) => entry.level === 40 && /cut off|protocol error/.test(entry.msg));
    expect(warnings).toHaveLength(ATTACKS.length);
    bystander.socket.close();
  });
});
