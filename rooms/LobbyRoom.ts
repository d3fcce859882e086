import { type Client, Room } from "@colyseus/core";
import { schema, t } from "@colyseus/schema";
import { LOBBY_CLIENT_MESSAGES as M } from "../protocol/lobby.ts";
import { services } from "../src/services.ts";
import { WalletError } from "../src/wallet/errors.ts";
import { GAME_OFFERS, SMALLEST_TABLE_MINIMUM_MINOR } from "./game-catalog.ts";
import { IntentRejected, intent, registerIntents, StepQueue } from "./intents.ts";
import { reconnectionHolder } from "./reconnection-guard.ts";
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

  readonly steps = new StepQueue();

  override onCreate() {
    this.autoDispose = false;
    registerIntents(this, this.steps, {
      profile: intent(M.profile, (client) => this.sendProfile(client)),
      topUp: intent(M.topUp, async (client) => {
        try {
          await services().wallet.topUp({
            playerId: playerOf(client).playerId,
            thresholdMinor: SMALLEST_TABLE_MINIMUM_MINOR,
          });
        } catch (error) {
          if (error instanceof WalletError) throw new IntentRejected(error.code, error.message);
          throw error;
        }
        await this.sendProfile(client);
      }),
    });
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
    this.allowReconnection(client, LOBBY_RECONNECT_SECONDS).catch(() => {});
  }

  /** Read by the reconnection guard, over the presence when the room lives on another node. */
  reconnectionHolder(reconnectionToken: string): string | undefined {
    return reconnectionHolder(this, reconnectionToken);
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
      throw new IntentRejected("UNKNOWN_PLAYER", "no player with this token exists");
    }
    const balance = await services().wallet.ensurePlayerWallet(player.id);
    client.send("profile", {
      id: player.id,
      displayName: player.displayName,
      createdAt: player.createdAt.toISOString(),
      balanceMinor: balance.balanceMinor.toString(),
      balance: balance.formatted,
      currency: balance.currency,
    });
  }
}
