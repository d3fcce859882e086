import type { Room } from "@colyseus/sdk";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import {
  type BlackjackRules,
  type HandState,
  isRulePresetName,
  rulesFromPreset,
  type StrategyAction,
  strategyDecision,
} from "../../simulation/blackjack/index.ts";
import { blackjackValue } from "../../simulation/cards/index.ts";

/** The table as the SDK decodes it. */
export type TableView = Synced<BlackjackStateView>;

export interface BlackjackBotOptions {
  playerId: string;
  betMinor: (table: TableView) => bigint;
  /** Stop betting once this many rounds have been dealt at the table. */
  maxRounds?: number;
}

const PLAY_ACTIONS = new Set(["hit", "stand", "double", "split", "surrender"]);

/**
 * Plays one seat by basic strategy through a real SDK connection: bets when betting opens, declines insurance
 * (as basic strategy does) and plays each hand from what the synced state shows, never from hidden data.
 */
export class BlackjackBot {
  readonly room: Room<unknown, TableView>;
  readonly options: BlackjackBotOptions;
  #rules: BlackjackRules | undefined;
  /** The last decision sent, so a patch that repeats the same situation does not send it twice. */
  #lastSent = "";

  constructor(room: Room, options: BlackjackBotOptions) {
    this.room = room;
    this.options = options;
    room.onStateChange((state: TableView) => this.decide(state));
  }

  mySeat(table: TableView): number {
    for (const [key, seat] of table.seats) if (seat.playerId === this.options.playerId) return Number(key);
    return -1;
  }

  private rules(table: TableView): BlackjackRules {
    if (!this.#rules) {
      if (!isRulePresetName(table.rulesPreset)) throw new Error(`unknown rules ${table.rulesPreset}`);
      this.#rules = rulesFromPreset(table.rulesPreset, {
        minBet: BigInt(table.minBetMinor),
        maxBet: BigInt(table.maxBetMinor),
      });
    }
    return this.#rules;
  }

  private send(key: string, type: string, payload: object = {}) {
    if (key === this.#lastSent) return;
    this.#lastSent = key;
    this.room.send(type, payload);
  }

  private decide(table: TableView) {
    const seatIndex = this.mySeat(table);
    if (seatIndex < 0) return;
    const seat = table.seats.get(String(seatIndex))!;
    if (table.phase === "betting" && seat.betMinor === "0") {
      if (this.options.maxRounds !== undefined && table.round >= this.options.maxRounds) return;
      this.send(`bet:${table.round}`, "bet", { amountMinor: this.options.betMinor(table).toString() });
    } else if (table.phase === "insurance" && seat.insurance === "pending") {
      this.send(`insurance:${table.round}`, "insurance", { take: false });
    } else if (table.phase === "playerTurns" && table.turnSeat === seatIndex && table.turnActions.length > 0) {
      const hand = seat.hands[table.turnHand];
      if (!hand || table.dealerCards.length === 0) return;
      const allowed = [...table.turnActions].filter((a): a is StrategyAction => PLAY_ACTIONS.has(a));
      const upValue = blackjackValue(table.dealerCards[0]!);
      const action = strategyDecision(this.rules(table), { cards: [...hand.cards] } as HandState, upValue, allowed);
      this.send(`${table.round}:${table.turnHand}:${hand.cards.length}:${seat.hands.length}`, action);
    }
  }
}
