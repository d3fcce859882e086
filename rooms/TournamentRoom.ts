import { type Client, Room, ServerError } from "@colyseus/core";
import {
  type TournamentDetail,
  tournamentClientMessages,
  tournamentJoinSchema,
  type YourMatchMessage,
} from "../protocol/tournament.ts";
import { services } from "../src/services.ts";
import { TournamentError } from "../src/tournaments/errors.ts";
import type { MatchRow } from "../src/tournaments/service.ts";
import { IntentRejected, intent, registerIntents, StepQueue } from "./intents.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";
import {
  TournamentMatchView,
  TournamentPlayerView,
  TournamentRoomState,
  type TournamentRoomStateType,
} from "./tournament/room-state.ts";

/** How often the lobby reads the tournament back from Postgres, where any node's driver writes it. */
const REFRESH_MS = 250;
const CLIENTS_MAX = 256;

/**
 * The lobby of one tournament: registration and withdrawal, the live bracket, and for each player their match as
 * soon as it is placed (the seat reservation, sent to them alone, and the deadline to take the seat). A thin view
 * over src/tournaments: whichever node drives the tournament, this room reads what it wrote.
 */
export class TournamentRoom extends Room<{ state: TournamentRoomStateType }> {
  static override onAuth(token: string) {
    return authenticatePlayer(token);
  }

  override maxClients = CLIENTS_MAX;
  override maxMessagesPerSecond = 10;
  override state = new TournamentRoomState();

  readonly steps = new StepQueue();
  tournamentId = "";
  /** What each player was last sent, by "matchId:attempt", so a match is announced once per placement. */
  readonly announced = new Map<string, string>();
  live: MatchRow[] = [];
  /** The read-back in flight, and whether a caller arrived after it began (and so may not be covered by it). */
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;

  override async onCreate(options: unknown) {
    const parsed = tournamentJoinSchema.safeParse(options);
    if (!parsed.success) throw new ServerError(400, "BAD_REQUEST: tournamentId is required");
    this.tournamentId = parsed.data.tournamentId;
    try {
      await services().tournaments.summary(this.tournamentId);
    } catch (error) {
      if (error instanceof TournamentError) throw new ServerError(404, `${error.code}: ${error.message}`);
      throw error;
    }
    this.state.version = -1;
    await this.refresh();
    this.clock.setInterval(() => void this.refresh(), REFRESH_MS);
    registerIntents(this, this.steps, {
      register: intent(tournamentClientMessages.register, async (client) => {
        const { playerId, displayName } = playerOf(client);
        await refusalsAsIntents(() => services().tournaments.register(this.tournamentId, { playerId, displayName }));
        await this.refresh();
      }),
      unregister: intent(tournamentClientMessages.unregister, async (client) => {
        await refusalsAsIntents(() => services().tournaments.unregister(this.tournamentId, playerOf(client).playerId));
        await this.refresh();
      }),
    });
  }

  override onJoin(client: Client) {
    this.announced.delete(client.sessionId);
    this.announce();
  }

  override onLeave(client: Client) {
    this.announced.delete(client.sessionId);
  }

  /**
   * Reads the tournament back, one read at a time. Resolves once a read that began after the call has landed: a
   * caller that has just committed a change (a registration) finds it in the state when this resolves, even when
   * the interval's read was already under way and had seen the version before it.
   */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          await this.readBack();
        } while (this.#refreshAgain);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  private async readBack() {
    try {
      const tournaments = services().tournaments;
      if ((await tournaments.version(this.tournamentId)) === this.state.version) return;
      const detail = await tournaments.detail(this.tournamentId);
      this.live = await tournaments.liveMatches(this.tournamentId);
      this.sync(detail);
      this.announce();
    } catch (error) {
      services().logger.warn({ err: error, tournamentId: this.tournamentId }, "tournament lobby refresh failed");
    }
  }

  private sync(detail: TournamentDetail) {
    const s = this.state;
    s.tournamentId = detail.id;
    s.name = detail.name;
    s.game = detail.game;
    s.status = detail.status;
    s.entryFeeMinor = detail.entryFeeMinor;
    s.prizePoolMinor = detail.prizePoolMinor;
    s.seatsMin = detail.seatsMin;
    s.seatsMax = detail.seatsMax;
    s.registered = detail.registered;
    s.startsAt = detail.startsAt ? Date.parse(detail.startsAt) : 0;
    s.players.clear();
    for (const entry of detail.entries) {
      s.players.push(
        new TournamentPlayerView({
          playerId: entry.playerId,
          displayName: entry.displayName,
          seed: entry.seed ?? -1,
          place: entry.place ?? 0,
          prizeMinor: entry.prizeMinor ?? "0",
        }),
      );
    }
    s.matches.clear();
    for (const m of detail.matches) {
      s.matches.push(
        new TournamentMatchView({
          matchId: m.matchId,
          round: m.round,
          slot: m.slot,
          player0: m.players[0] ?? "",
          player1: m.players[1] ?? "",
          bye0: m.seeds[0] === null,
          bye1: m.seeds[1] === null,
          status: m.status,
          winner: m.winnerPlayerId ?? "",
          reason: m.reason ?? "",
          showDeadline: m.showDeadline ?? 0,
        }),
      );
    }
    s.version = detail.version;
  }

  /** Each player with a placed match gets its reservation, once per placement. */
  private announce() {
    for (const client of this.clients) {
      const { playerId } = playerOf(client);
      const match = this.live.find((m) => m.player0Id === playerId || m.player1Id === playerId);
      if (!match?.roomId || !match.reservations?.[playerId]) continue;
      const key = `${match.matchId}:${match.attempt}`;
      if (this.announced.get(client.sessionId) === key) continue;
      this.announced.set(client.sessionId, key);
      const message: YourMatchMessage = {
        tournamentId: this.tournamentId,
        matchId: match.matchId,
        round: match.round,
        attempt: match.attempt,
        roomName: this.state.game as YourMatchMessage["roomName"],
        roomId: match.roomId,
        opponentPlayerId: match.player0Id === playerId ? match.player1Id : match.player0Id,
        showDeadline: match.showDeadlineAt?.getTime() ?? 0,
        reservation: match.reservations[playerId],
      };
      client.send("yourMatch", message);
    }
  }
}

async function refusalsAsIntents(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof TournamentError) throw new IntentRejected(error.code, error.message);
    throw error;
  }
}
