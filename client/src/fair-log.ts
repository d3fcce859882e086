/**
 * The cards this browser saw dealt under each commitment, in deal order, kept for the verify view: once the seed is
 * revealed, the recomputed shoe must hold exactly these cards from the position the first one was dealt at.
 */
export interface SeenShoe {
  game: "blackjack" | "draws";
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  decks: number;
  /** Index in the shoe of the first card recorded (cards dealt before this browser watched are not known). */
  firstIndex: number;
  /** null for a face-down card not yet turned. */
  cards: (number | null)[];
}

const KEY = "tablestakes.seen";
const MAX_SHOES = 20;

function load(): SeenShoe[] {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? "[]") as SeenShoe[];
  } catch {
    return [];
  }
}

function save(shoes: SeenShoe[]) {
  sessionStorage.setItem(KEY, JSON.stringify(shoes.slice(-MAX_SHOES)));
}

export function seenShoes(serverSeedHash: string): SeenShoe[] {
  return load().filter((shoe) => shoe.serverSeedHash === serverSeedHash);
}

/** Appends a dealt card to the shoe it came from, opening the record when this is its first card here. */
export function recordCard(shoe: Omit<SeenShoe, "cards">, card: number | null): void {
  const shoes = load();
  let entry = shoes.find((s) => s.serverSeedHash === shoe.serverSeedHash && s.nonce === shoe.nonce);
  if (!entry) {
    entry = { ...shoe, cards: [] };
    shoes.push(entry);
  }
  entry.cards.push(card);
  save(shoes);
}

/** Fills the last face-down card of a shoe once the server turns it. */
export function revealHoleCard(serverSeedHash: string, nonce: number, card: number): void {
  const shoes = load();
  const entry = shoes.find((s) => s.serverSeedHash === serverSeedHash && s.nonce === nonce);
  if (!entry) return;
  const index = entry.cards.lastIndexOf(null);
  if (index >= 0) entry.cards[index] = card;
  save(shoes);
}
