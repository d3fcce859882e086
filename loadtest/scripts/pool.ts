// 8-ball players for @colyseus/loadtest: each signs in as a guest, joins a quick match at a fixed stake, accepts it,
// breaks and plays ghost-ball shots from the synced table until the match is over, then joins another.
//   node loadtest/scripts/pool.ts --endpoint ws://HOST:PORT --room pool --numClients 100 --output pool.log
import { cli } from "@colyseus/loadtest";
import { PoolBot } from "../bots/pool-bot-client.ts";
import { messages, startPlayer, totals } from "./player.ts";

const STAKE_MINOR = 100;

cli((options) =>
  startPlayer(options, {
    join: (client) => client.joinOrCreate(options.roomName, { mode: "quick", stakeMinor: STAKE_MINOR }),
    async play(room, guest) {
      const bot = new PoolBot(room, { playerId: guest.player.id });
      room.onMessage("shot", () => {
        totals.shots += 1;
      });
      await messages(room, "matchOver", 1);
      for (const problem of bot.problems) console.warn(problem);
    },
    dropWithinMs: 60_000,
  }),
);
