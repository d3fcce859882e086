// Draws players for @colyseus/loadtest: each signs in as a guest, joins a quick match at a fixed stake, offers it,
// presses draw on each attempt and rematches, verifying every card once the seed is revealed; after 3 to 10 rounds
// it leaves and joins again.
//   node loadtest/scripts/draws.ts --endpoint ws://HOST:PORT --room draws --numClients 200 --output draws.log
import { cli } from "@colyseus/loadtest";
import { DrawBot } from "../bots/draw-bot.ts";
import { between, messages, startPlayer } from "./player.ts";

const STAKE_MINOR = 100;

cli((options) =>
  startPlayer(options, {
    join: (client) => client.joinOrCreate(options.roomName, { mode: "quick", stakeMinor: STAKE_MINOR }),
    async play(room, guest) {
      const rounds = between(3, 10);
      const bot = new DrawBot(room, {
        playerId: guest.player.id,
        stakeMinor: () => BigInt(STAKE_MINOR),
        maxRounds: rounds,
        rotateEvery: 5,
        rematchAfterMatchOver: true,
        thinkMs: between(400, 2_000),
      });
      // A quick-match opponent plays its own number of rounds: once it has gone, so does this player.
      const opponentGone = new Promise<void>((resolve) =>
        room.onMessage("error", (error: { code: string }) => {
          if (error.code === "NO_OPPONENT") resolve();
        }),
      );
      await Promise.race([messages(room, "roundSettled", rounds), opponentGone]);
      for (const problem of bot.problems) if (!problem.includes("NO_OPPONENT")) console.warn(problem);
    },
    dropWithinMs: 20_000,
  }),
);
