import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Guest, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";

const HUGE_BYTES = 200 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x61);

interface HugeUpload {
  /** The status line the server answered with, and how many body bytes had been written when it came. */
  status: string;
  writtenBeforeAnswer: number;
  /** Body bytes the socket took in all before the server closed it. */
  writtenBeforeClose: number;
}

/**
 * Declares a 200 MiB body, waits for an answer before sending any of it, then streams as much as the socket takes
 * until the server closes it.
 */
function hugeUpload(
  port: number,
  path: string,
  headers: Record<string, string>,
  declaredBytes = HUGE_BYTES,
): Promise<HugeUpload> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let written = 0;
    let answer = "";
    let status = "";
    let writtenBeforeAnswer = -1;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close: ${answer.slice(0, 200)}`));
    }, 20_000);
    const pump = () => {
      while (!socket.destroyed && written < declaredBytes) {
        written += CHUNK.length;
        if (!socket.write(CHUNK)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.on("connect", () => {
      const head = [
        `POST ${path} HTTP/1.1`,
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        `Content-Length: ${declaredBytes}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        "",
        "",
      ].join("\r\n");
      socket.write(head);
    });
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (!status && answer.includes("\r\n")) {
        status = answer.slice(0, answer.indexOf("\r\n"));
        writtenBeforeAnswer = written;
        pump();
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(deadline);
      resolve({ status, writtenBeforeAnswer, writtenBeforeClose: written });
    });
  });
}

describe("HTTP body caps", () => {
  let server: TestServer;
  let guest: Guest;
  let port: number;

  beforeAll(async () => {
    server = await startTestServer();
    port = Number(new URL(server.url).port);
    guest = await signInGuest(server.url, "Body Sender");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses three anonymous 200 MiB matchmaking bodies unread, and memory stays flat", async () => {
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 3; i++) {
      const upload = await hugeUpload(port, "/matchmake/joinOrCreate/pool", {});
      expect(upload.status).toMatch(/^HTTP\/1\.1 413 /);
      expect(upload.writtenBeforeAnswer).toBe(0);
      expect(upload.writtenBeforeClose).toBeLessThan(HUGE_BYTES / 4);
    }
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("checks the player token of a matchmaking call before reading its body", async () => {
    const upload = await hugeUpload(port, "/matchmake/joinOrCreate/pool", {}, 4000);
    expect(upload.status).toMatch(/^HTTP\/1\.1 401 /);
    expect(upload.writtenBeforeAnswer).toBe(0);
  });

  it("refuses a signed-in player's 200 MiB matchmaking body with 413 before reading any of it", async () => {
    const upload = await hugeUpload(port, "/matchmake/joinOrCreate/pool", { Authorization: `Bearer ${guest.token}` });
    expect(upload.status).toMatch(/^HTTP\/1\.1 413 /);
    expect(upload.writtenBeforeAnswer).toBe(0);
    expect(upload.writtenBeforeClose).toBeLessThan(HUGE_BYTES / 4);
  });

  it("caps every route: a 200 MiB body to a GET route or to /auth/guest is refused unread", async () => {
    for (const path of ["/auth/guest", "/wallet", "/health", "/nowhere"]) {
      const upload = await hugeUpload(port, path, { Authorization: `Bearer ${guest.token}` });
      expect(upload.status, path).toMatch(/^HTTP\/1\.1 413 /);
      expect(upload.writtenBeforeAnswer, path).toBe(0);
    }
  });

  it("answers a sign-up over 2 KiB with 413 BODY_TOO_LARGE and a body of unknown length with 411", async () => {
    const tooBig = await fetch(`${server.url}/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ displayName: "x".repeat(10_000) }),
    });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: "BODY_TOO_LARGE" });

    const chunked = await fetch(`${server.url}/matchmake/joinOrCreate/lobby`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${guest.token}` },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("{}"));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect(await chunked.json()).toMatchObject({ error: "LENGTH_REQUIRED" });

    const small = await fetch(`${server.url}/matchmake/joinOrCreate/lobby`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${guest.token}` },
      body: "{}",
    });
    expect(small.status).toBe(200);
  });
});
