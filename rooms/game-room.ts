import { type Client, Room, type RoomOptions } from "@colyseus/core";
import { services } from "../src/services.ts";
import { IntentRejected, StepQueue } from "./intents.ts";
import { reconnectionHolder } from "./reconnection-guard.ts";

/** A room closes this long after its match ends, so the last messages reach every client. */
const CLOSE_AFTER_MATCH_MS = 1_000;

/**
 * What every seated game room shares, so each game room keeps only its game: check, call the engine, apply,
 * settle, sync. Steps (intents and timers) run one at a time through `steps`; a dropped player's seat is held for
 * `reconnectSeconds`; messages announce state changes after the patch that carries them; logs carry the room.
 */
export abstract class GameRoom<T extends RoomOptions = RoomOptions> extends Room<T> {
  readonly steps = new StepQueue();

  /** How long a dropped player's seat is held. */
  protected abstract reconnectSeconds(): number;
  /** Shows a seat's connection in the state (a no-op for a spectator). */
  protected abstract setConnected(sessionId: string, connected: boolean): void;

  override onDrop(client: Client) {
    this.setConnected(client.sessionId, false);
    // A client refused in onJoin (a wrong code, a second connection) also drops here: it has no seat to hold, and
    // the rejection that says so is expected.
    this.allowReconnection(client, this.reconnectSeconds()).catch(() => {});
  }

  override onReconnect(client: Client) {
    this.setConnected(client.sessionId, true);
  }

  /** Read by the reconnection guard, over the presence when the room lives on another node. */
  reconnectionHolder(reconnectionToken: string): string | undefined {
    return reconnectionHolder(this, reconnectionToken);
  }

  /** Runs a timer's step in turn with the intents; a failure is logged (a refusal only tells the client). */
  protected runStep(step: () => void | Promise<void>): Promise<void> {
    return this.steps.run(step).catch((error) => {
      if (!(error instanceof IntentRejected)) this.log().error({ err: error }, "room step failed");
    });
  }

  /**
   * Every message a game room broadcasts announces a change of state: it goes out right after the patch that
   * carries the change, so a client acting on it at once already sees the state it announces.
   */
  protected announce(type: string, message: unknown) {
    this.broadcast(type, message, { afterNextPatch: true });
  }

  #closing: Promise<unknown> | undefined;

  /** Sends what is pending (the last patch and the messages after it), then closes the room. */
  protected close(): Promise<unknown> {
    // The patch runs the room's due timers, the one calling close() among them: it must not close twice.
    if (this.#closing) return this.#closing;
    this.#closing = Promise.resolve();
    this.broadcastPatch();
    this.#closing = this.disconnect();
    return this.#closing;
  }

  /**
   * The match is over: the room closes a moment later, so its last messages reach everyone first. `step` (run as a
   * room step) is how a room that has more to do before it goes closes itself; by default it just closes.
   */
  protected closeAfterMatch(step: () => void = () => void this.close()): void {
    this.clock.setTimeout(() => void this.runStep(step), CLOSE_AFTER_MATCH_MS);
  }

  protected log() {
    return services().logger.child({ room: this.roomName, roomId: this.roomId });
  }
}
