import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { waitFor } from "../support/wait.ts";

type DrawsState = Synced<DrawsStateView>;

describe("a refused join into a draws room leaves no unhandled rejection", () => {
  let server: TestServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    server = await startTestServer();
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await server?.stop();
  });

  it("WRONG_CODE and ALREADY_IN_ROOM are refused, and the room serves on", async () => {
    const [ada, bo, eve] = await Promise.all(["Ada", "Bo", "Eve"].map((name) => signInGuest(server.url, name)));
    const created = await sdkClient(server.url, ada!.token).create<DrawsState>("draws", { mode: "private" });
    const view = () => created.state;
    await waitFor(() => view().code?.length === 6, "the challenge code");

    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(sdkClient(server.url, eve!.token).joinById(created.roomId)).rejects.toThrow(/WRONG_CODE/);
    }
    await expect(sdkClient(server.url, ada!.token).joinById(created.roomId, { code: view().code })).rejects.toThrow(
      /ALREADY_IN_ROOM/,
    );

    // The room still takes the invited player, which takes several more turns of the event loop than a rejection
    // needs to be reported as unhandled.
    const joined = await sdkClient(server.url, bo!.token).joinById<DrawsState>(created.roomId, { code: view().code });
    await waitFor(() => view().ready && joined.state.ready, "both seats");
    expect(unhandled).toEqual([]);
    await joined.leave();
    await created.leave();
  });
});
