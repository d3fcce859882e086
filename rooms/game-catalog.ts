/** The games on offer, as the lobby lists them. A game appears here once its room is registered. */
export interface GameOffer {
  /** The Colyseus room name a client joins. */
  room: string;
  title: string;
  minPlayers: number;
  maxPlayers: number;
}

export const GAME_OFFERS: readonly GameOffer[] = [];
