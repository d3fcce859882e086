/** The games on offer, as the lobby lists them. A game appears here once its room is registered. */
export interface GameOffer {
  /** The Colyseus room name a client joins. */
  room: string;
  title: string;
  minPlayers: number;
  maxPlayers: number;
}

export const GAME_OFFERS: readonly GameOffer[] = [
  { room: "blackjack", title: "Blackjack", minPlayers: 1, maxPlayers: 7 },
  { room: "draws", title: "Draws", minPlayers: 2, maxPlayers: 2 },
  { room: "pool", title: "8-Ball Pool", minPlayers: 2, maxPlayers: 2 },
];

/** A player below this cannot sit at any table, so the lobby offers a top-up. */
export const SMALLEST_TABLE_MINIMUM_MINOR = 100n;
