import { cardCode, RANKS } from "./card-code.ts";

const SUITS = ["♣", "♦", "♥", "♠"];

export function cardElement(id: number | null): HTMLElement {
  const element = document.createElement("span");
  if (id === null || id < 0) {
    element.className = "card back";
    element.textContent = "🂠";
    element.setAttribute("aria-label", "face-down card");
    return element;
  }
  const suit = Math.floor(id / 13);
  const rank = RANKS[id % 13] === "T" ? "10" : RANKS[id % 13]!;
  element.className = `card${suit === 1 || suit === 2 ? " red" : ""}`;
  element.textContent = `${rank}${SUITS[suit]}`;
  element.dataset.card = cardCode(id);
  return element;
}
