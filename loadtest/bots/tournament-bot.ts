import { Client, type Room } from "@colyseus/sdk";
import type { TournamentErrorMessage, YourMatchMessage } from "../../protocol/tournament.ts";

export interface TournamentBotOptions {
  endpoint: string;
  token: string;
  playerId: string;
  tournamentId: string;
  /** Called with each match room the bot takes its seat in; attach a game bot (DrawBot, PoolBot) here. */
  playMatch: (room: Room, match: YourMatchMessage) => void;
}

/**
 * A tournament player over a real SDK connection: sits in the tournament's lobby room, registers there, and takes
 * its seat in each match it is sent (`yourMatch`), where `playMatch` plays it. If the lobby is lost with its node it
 * joins the lobby again (on whichever node has it, or creates it), so a match placed meanwhile still reaches it.
 */
export class TournamentBot {
  readonly options: TournamentBotOptions;
  readonly client: Client;
  readonly matches: YourMatchMessage[] = [];
  readonly rooms: Room[] = [];
  readonly problems: string[] = [];
  lobby: Room | undefined;
  stopped = false;

  constructor(options: TournamentBotOptions) {
    this.options = options;
    this.client = new Client(options.endpoint);
    this.client.auth.token = options.token;
  }

  async connect(): Promise<Room> {
    const lobby = await this.client.joinOrCreate("tournament", { tournamentId: this.options.tournamentId });
    lobby.reconnection.enabled = false;
    lobby.onMessage("yourMatch", (match: YourMatchMessage) => void this.take(match));
    lobby.onMessage("error", (error: TournamentErrorMessage) => {
      this.problems.push(`lobby error on ${error.type}: ${error.code} ${error.message}`);
    });
    lobby.onLeave(() => {
      if (!this.stopped) void this.rejoin();
    });
    this.lobby = lobby;
    return lobby;
  }

  register(): void {
    this.lobby?.send("register", {});
  }

  /** Gone for good: every connection closed at once, with no reconnection, as a killed client. */
  kill(): void {
    this.stopped = true;
    for (const room of [this.lobby, ...this.rooms]) {
      if (!room) continue;
      room.reconnection.enabled = false;
      room.connection.close(4010, "client killed");
    }
  }

  stop(): void {
    this.stopped = true;
    for (const room of [this.lobby, ...this.rooms]) room?.leave().catch(() => {});
  }

  private async take(match: YourMatchMessage) {
    if (this.stopped) return;
    this.matches.push(match);
    try {
      const room = await this.client.consumeSeatReservation(match.reservation as never);
      this.rooms.push(room);
      this.options.playMatch(room, match);
    } catch (error) {
      this.problems.push(`match ${match.matchId} seat: ${(error as Error).message}`);
    }
  }

  private async rejoin() {
    for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
      try {
        await this.connect();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
