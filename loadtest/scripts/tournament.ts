// Tournament players for @colyseus/loadtest: each signs in as a guest, picks an open tournament from
// GET /tournaments (the fullest with a free seat, so sit-and-gos fill and start), sits in its lobby room and
// registers there, takes its seat in every match it is sent (draws: DrawBot, pool: PoolBot) and watches the bracket
// until the tournament is over, then looks for the next one.
//   node loadtest/scripts/tournament.ts --endpoint ws://HOST:PORT --room tournament --numClients 64 --output t.log
// Tournaments come from the server: a recurring sit-and-go (TOURNAMENT_RECURRING keeps one open copy), or any the
// operator created. With --operator USER:PASSWORD the script creates an 8-seat draws sit-and-go whenever none is
// open (--game pool for pool).
import { parseArgs } from "node:util";
import { cli } from "@colyseus/loadtest";
import type { Client, Room } from "@colyseus/sdk";
import type { Synced } from "../../protocol/common.ts";
import { seatReservationSchema } from "../../protocol/matchmaker.ts";
import type {
  CreateTournamentRequest,
  TournamentErrorMessage,
  TournamentGame,
  TournamentStateView,
  TournamentSummary,
  YourMatchMessage,
} from "../../protocol/tournament.ts";
import { DrawBot } from "../bots/draw-bot.ts";
import { PoolBot } from "../bots/pool-bot-client.ts";
import { type Guest, httpEndpoint, pause, startPlayer, totals } from "./player.ts";

const { values: flags } = parseArgs({
  options: { operator: { type: "string" }, game: { type: "string", default: "draws" } },
  strict: false,
});
const OPERATOR = typeof flags.operator === "string" ? flags.operator : undefined;
const GAME: TournamentGame = flags.game === "pool" ? "pool" : "draws";
/** The open list is read once for every client of the process, at most this often (reads are rate limited). */
const LIST_EVERY_MS = 2_000;
const SIT_AND_GO: CreateTournamentRequest = {
  name: "Load sit-and-go",
  game: GAME,
  bestOf: GAME === "draws" ? 3 : 1,
  entryFeeMinor: 100,
  seatsMin: 8,
  seatsMax: 8,
  prizeBps: [6000, 3000, 1000],
  startWhenFull: true,
  matchOptions: { stakeMinor: 100 },
};

/** The tournament lobby's state as a player's connection has it synced. */
type LobbyView = Synced<TournamentStateView>;

const REGISTER_WAIT_MS = 5_000;

let listed: { at: number; open: Promise<TournamentSummary[]> } | undefined;
/** Registrations this process sent since the last read, which the list does not show yet. */
const sentSince = new Map<string, number>();
let creating: Promise<void> | undefined;

function openTournaments(endpoint: string): Promise<TournamentSummary[]> {
  if (!listed || performance.now() - listed.at > LIST_EVERY_MS) {
    const open = fetch(`${httpEndpoint(endpoint)}/tournaments?status=open`)
      .then(async (response) => {
        if (response.status !== 200) return [];
        sentSince.clear();
        return ((await response.json()) as { tournaments: TournamentSummary[] }).tournaments;
      })
      .catch(() => []);
    listed = { at: performance.now(), open };
  }
  return listed.open;
}

function createSitAndGo(endpoint: string, operator: string): Promise<void> {
  creating ??= fetch(`${httpEndpoint(endpoint)}/tournaments`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(operator).toString("base64")}` },
    body: JSON.stringify(SIT_AND_GO),
  })
    .then(async (response) => {
      if (response.status !== 201) console.error(`creating a sit-and-go: ${response.status} ${await response.text()}`);
      listed = undefined;
    })
    .finally(() => {
      creating = undefined;
    });
  return creating;
}

/** The fullest open tournament with a seat left; waits (or creates one, with --operator) while there is none. */
async function pickTournament(endpoint: string): Promise<string> {
  for (;;) {
    const open = (await openTournaments(endpoint))
      .filter((t) => t.status === "registering")
      .map((t) => ({ id: t.id, taken: t.registered + (sentSince.get(t.id) ?? 0), seats: t.seatsMax }))
      .filter((t) => t.taken < t.seats)
      .sort((x, y) => y.taken - x.taken);
    const chosen = open[0];
    if (chosen) {
      sentSince.set(chosen.id, (sentSince.get(chosen.id) ?? 0) + 1);
      return chosen.id;
    }
    if (OPERATOR) await createSitAndGo(endpoint, OPERATOR);
    else await pause(LIST_EVERY_MS);
  }
}

/** Takes the seat of each match the lobby sends and plays it with the game's bot. */
function playMatches(client: Client, lobby: Room, guest: Guest) {
  lobby.onMessage("yourMatch", async (match: YourMatchMessage) => {
    try {
      const room = await client.consumeSeatReservation(seatReservationSchema.parse(match.reservation));
      for (const type of ["events", "seedRevealed", "error"]) room.onMessage(type, () => {});
      if (match.roomName === "pool") {
        new PoolBot(room, { playerId: guest.player.id });
        room.onMessage("shot", () => {
          totals.shots += 1;
        });
      } else {
        new DrawBot(room, { playerId: guest.player.id, stakeMinor: (view) => BigInt(view.minStakeMinor) });
        room.onMessage("roundSettled", () => {
          totals.rounds += 1;
        });
      }
    } catch (error) {
      console.error(`match ${match.matchId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

cli((options) =>
  startPlayer(options, {
    async join(client: Client, guest: Guest): Promise<Room> {
      for (;;) {
        const tournamentId = await pickTournament(options.endpoint);
        const lobby = await client.joinOrCreate<LobbyView>("tournament", { tournamentId });
        const registered = new Promise<boolean>((resolve) => {
          lobby.onMessage("error", (error: TournamentErrorMessage) => {
            if (error.type === "register") resolve(false);
          });
          lobby.onStateChange((state) => {
            if (state.players?.some((player) => player.playerId === guest.player.id)) resolve(true);
          });
        });
        playMatches(client, lobby, guest);
        lobby.send("register", {});
        // Refused (full, closed, started): another one.
        if (await Promise.race([registered, pause(REGISTER_WAIT_MS).then(() => false)])) return lobby;
        await lobby.leave(true);
      }
    },
    async play(lobby: Room) {
      // Players knocked out stay to watch the bracket, as people do, until the tournament is over.
      await new Promise<void>((resolve) => {
        const check = (state: LobbyView) => {
          if (state.status === "finished" || state.status === "cancelled") resolve();
        };
        lobby.onStateChange(check);
        lobby.onLeave(() => resolve());
      });
    },
    // The lobby holds no seat to come back to; the matches are where a lost connection would matter.
    dropShare: 0,
    dropWithinMs: 30_000,
  }),
);
