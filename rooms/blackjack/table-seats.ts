import type { Client } from "@colyseus/core";
import { ServerError } from "@colyseus/core";
import { MAX_SEATS } from "../../simulation/blackjack/index.ts";
import { IntentRejected } from "../intents.ts";
import { playerOf } from "../room-auth.ts";
import type { SeatHolder } from "../seats.ts";

export interface TableSeat extends SeatHolder {
  /** False once the player has left for good (not merely dropped): their hand plays on by the timeout rule. */
  present: boolean;
}

/** Who sits where at a blackjack table: taking a seat on joining or on asking, giving it back, leaving for good. */
export class TableSeats {
  readonly seated: (TableSeat | null)[] = new Array(MAX_SEATS).fill(null);
  readonly #freed: (seat: number) => void;

  /** `freed`: called when a seat is given up, for what the room keeps per seat (a player's client seed). */
  constructor(freed: (seat: number) => void) {
    this.#freed = freed;
  }

  /** A joining player gets back the seat they left, else the first free one, unless they came to watch. */
  join(client: Client, spectate: boolean): void {
    const { playerId } = playerOf(client);
    const mine = this.seated.findIndex((p) => p?.playerId === playerId);
    if (mine >= 0 && this.seated[mine]!.present) {
      throw new ServerError(409, "ALREADY_AT_TABLE: this player is already at this table from another connection");
    }
    const seat = mine >= 0 ? mine : spectate ? -1 : this.seated.indexOf(null);
    if (seat >= 0) this.take(client, seat);
  }

  sit(client: Client, requested: number | undefined): void {
    const { playerId } = playerOf(client);
    if (this.seated.some((p) => p?.playerId === playerId)) {
      throw new IntentRejected("ALREADY_SEATED", "you already have a seat at this table");
    }
    const seat = requested ?? this.seated.indexOf(null);
    if (seat < 0 || this.seated[seat]) throw new IntentRejected("SEAT_TAKEN", "that seat is taken");
    this.take(client, seat);
  }

  /** The seat's player has left for good; the seat frees now unless their hand is still in play (`inHand`). */
  left(seat: number, sessionId: string, inHand: boolean): boolean {
    const player = this.seated[seat];
    if (!player || player.sessionId !== sessionId) return false;
    player.present = false;
    if (!inHand) this.free(seat);
    return true;
  }

  /** Between rounds: the seats of players who left during the round free. */
  freeAbsent(): void {
    for (const [seat, player] of this.seated.entries()) if (player && !player.present) this.free(seat);
  }

  free(seat: number): void {
    this.seated[seat] = null;
    this.#freed(seat);
  }

  private take(client: Client, seat: number): void {
    const { playerId, displayName } = playerOf(client);
    this.seated[seat] = { playerId, displayName, sessionId: client.sessionId, present: true };
  }
}
