import { type Client, Room } from "@colyseus/core";
import { schema, t } from "@colyseus/schema";
import { services } from "../src/services.ts";
import { GAME_OFFERS } from "./game-catalog.ts";
import { authenticatePlayer, playerOf } from "./room-auth.ts";

export const GameOfferState = schema(
  {
    room: t.string(),
    title: t.string(),
    minPlayers: t.number().default(0),
    maxPlayers: t.number().default(0),
  },
  "GameOffer",
);

export const LobbyState = schema(
  {
    games: t.array(GameOfferState),
    playersOnline: t.number().default(0),
  },
  "LobbyState",
);

const LOBBY_RECONNECT_SECONDS = 20;

/** Where a signed-in player lands: their profile, and the games on offer. */
export class LobbyRoom extends Room<{ state: InstanceType<typeof LobbyState> }> {
  static override onAuth(token: string) {
    return authenticatePlayer(token);
  }

  override state = new LobbyState();
  override maxMessagesPerSecond = 10;

  override messages = {
    profile: (client: Client) => this.sendProfile(client),
    _: (client: Client, type: string | number) => {
      client.send("error", { code: "UNKNOWN_MESSAGE", message: `the lobby has no message '${String(type)}'` });
    },
  };

  override onCreate() {
    this.autoDispose = false;
    for (const offer of GAME_OFFERS) this.state.games.push(new GameOfferState(offer));
  }

  override async onJoin(client: Client) {
    this.state.playersOnline += 1;
    services().logger.info({ roomId: this.roomId, playerId: playerOf(client).playerId }, "joined lobby");
    await services().players.touch(playerOf(client).playerId);
    await this.sendProfile(client);
  }

  override onDrop(client: Client) {
    // A player on a flaky connection keeps their place (and their count in playersOnline) for a while.
    this.allowReconnection(client, LOBBY_RECONNECT_SECONDS);
  }

  override onReconnect(client: Client) {
    services().logger.info({ roomId: this.roomId, playerId: playerOf(client).playerId }, "reconnected to lobby");
  }

  override onLeave(client: Client) {
    this.state.playersOnline -= 1;
    services().logger.info({ roomId: this.roomId, playerId: playerOf(client).playerId }, "left lobby");
  }

  private async sendProfile(client: Client) {
    const player = await services().players.find(playerOf(client).playerId);
    if (!player) {
      client.send("error", { code: "UNKNOWN_PLAYER", message: "no player with this token exists" });
      return;
    }
    client.send("profile", {
      id: player.id,
      displayName: player.displayName,
      createdAt: player.createdAt.toISOString(),
    });
  }
}
