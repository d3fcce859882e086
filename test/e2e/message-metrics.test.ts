import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { nextMessage, waitFor } from "../support/wait.ts";

const OPERATOR = { MONITOR_USER: "ops", MONITOR_PASSWORD: "metrics-test-password" };
const operatorHeaders = {
  authorization: `Basic ${Buffer.from(`${OPERATOR.MONITOR_USER}:${OPERATOR.MONITOR_PASSWORD}`).toString("base64")}`,
};

/** The value of one sample in the Prometheus text, 0 when the series does not exist yet. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("room message metrics", () => {
  let server: TestServer;
  let room: Room;
  const metrics = async () => (await fetch(`${server.url}/metrics`, { headers: operatorHeaders })).text();

  beforeAll(async () => {
    server = await startTestServer(OPERATOR);
    const guest = await signInGuest(server.url, "Metric Max");
    room = await sdkClient(server.url, guest.token).joinOrCreate("lobby");
    room.onMessage("profile", () => {});
    room.onMessage("error", () => {});
  });
  afterAll(async () => {
    await room?.leave();
    await server?.stop();
  });

  it("counts each message by outcome (ok, rejected, unknown) and times it, as the chart's alerts read them", async () => {
    const ok = 'tablestakes_messages_total{room="lobby",type="profile",outcome="ok"}';
    const rejected = 'tablestakes_messages_total{room="lobby",type="profile",outcome="rejected"}';
    const unknown = 'tablestakes_messages_total{room="lobby",type="unknown",outcome="rejected"}';
    const timed = 'tablestakes_message_duration_seconds_count{room="lobby"}';
    const before = await metrics();

    const profile = nextMessage(room, "profile");
    room.send("profile", {});
    await profile;
    const refusal = nextMessage<{ code: string }>(room, "error");
    room.send("profile", "not an object");
    expect((await refusal).code).toBe("BAD_MESSAGE");
    const unknownRefusal = nextMessage<{ code: string }>(room, "error");
    room.send("noSuchMessage", {});
    expect((await unknownRefusal).code).toBe("UNKNOWN_MESSAGE");

    let after = "";
    await waitFor(async () => {
      after = await metrics();
      return sample(after, ok) > sample(before, ok);
    }, "the ok message to be counted");
    expect(sample(after, ok) - sample(before, ok)).toBe(1);
    expect(sample(after, rejected) - sample(before, rejected)).toBe(1);
    expect(sample(after, unknown) - sample(before, unknown)).toBe(1);
    expect(sample(after, timed) - sample(before, timed)).toBe(3);
    expect(sample(after, 'tablestakes_messages_total{room="lobby",type="profile",outcome="error"}')).toBe(0);
  });
});
