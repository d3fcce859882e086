import type { BlackjackEvent, RoundResult } from "../../simulation/blackjack/index.ts";
import { toWire } from "../wire.ts";

/** Engine events as clients may see them: the hole card is dealt face down without its identity. */
export function publicEvent(event: BlackjackEvent) {
  if (event.type === "cardDealt" && event.to === "dealer" && event.faceDown) {
    return { type: "cardDealt", to: "dealer", faceDown: true };
  }
  return toWire(event);
}

export function roundSettledMessage(roundId: string, result: RoundResult) {
  return { roundId, result: toWire(result) };
}
