import { type Card, handTotal, isCard, isTwoCardTwentyOne } from "../cards/index.ts";
import { canDouble, canHit, canSplit, canSurrender, dealerMustHit, isAce, isNatural, isTenValue } from "./hand.ts";
import { assertValidRules, type BlackjackRules, MAX_SEATS } from "./rules.ts";
import { settleRound } from "./settlement.ts";
import { type BlackjackShoe, isCutCardReached } from "./shoe.ts";
import type {
  ActionResult,
  BlackjackAction,
  BlackjackErrorCode,
  BlackjackEvent,
  BlackjackState,
  HandState,
  SeatActionType,
  SeatState,
} from "./state.ts";

class RuleViolation extends Error {
  readonly code: BlackjackErrorCode;
  constructor(code: BlackjackErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function fail(code: BlackjackErrorCode, message: string): never {
  throw new RuleViolation(code, message);
}

/** A new table in the betting phase. Rules are checked here: a bad rule set is a programming error, so it throws. */
export function createTable(rules: BlackjackRules, shoe: BlackjackShoe): BlackjackState {
  assertValidRules(rules);
  const problem = shoeProblem(shoe);
  if (problem) throw new RangeError(problem);
  return {
    rules,
    phase: "betting",
    round: 0,
    seats: new Array(MAX_SEATS).fill(null),
    dealer: { cards: [], holeHidden: false },
    shoe,
    turn: null,
    result: null,
  };
}

/**
 * The one entry point: validates `action` against `state` and returns the next state with what happened, or an
 * error with the state untouched. Nothing here mutates `state`; work happens on a copy that is dropped on error.
 */
export function applyAction(state: BlackjackState, action: BlackjackAction): ActionResult {
  const table = new TableDraft(state);
  try {
    table.apply(action);
  } catch (error) {
    if (error instanceof RuleViolation) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  return { ok: true, state: table.s, events: table.events };
}

function cloneHand(hand: HandState): HandState {
  return { ...hand, cards: [...hand.cards] };
}

function cloneState(state: BlackjackState): BlackjackState {
  return {
    ...state,
    seats: state.seats.map((seat) => (seat ? { ...seat, hands: seat.hands.map(cloneHand) } : null)),
    dealer: { cards: [...state.dealer.cards], holeHidden: state.dealer.holeHidden },
    shoe: { ...state.shoe },
    turn: state.turn ? { ...state.turn } : null,
  };
}

function shoeProblem(shoe: BlackjackShoe): string | null {
  if (!shoe || !Array.isArray(shoe.cards) || shoe.cards.length === 0) return "a shoe needs cards";
  if (!shoe.cards.every(isCard)) return "a shoe holds only cards 0..51";
  if (!Number.isInteger(shoe.position) || shoe.position < 0 || shoe.position > shoe.cards.length) {
    return "shoe position out of range";
  }
  if (!Number.isInteger(shoe.cutCard) || shoe.cutCard < 0 || shoe.cutCard > shoe.cards.length) {
    return "cut card out of range";
  }
  if (!Array.isArray(shoe.sources)) return "shoe sources must be a list";
  return null;
}

const SEAT_ACTIONS: ReadonlySet<string> = new Set<SeatActionType>([
  "bet",
  "cancelBet",
  "insurance",
  "declineInsurance",
  "hit",
  "stand",
  "double",
  "split",
  "surrender",
]);

class TableDraft {
  readonly s: BlackjackState;
  readonly events: BlackjackEvent[] = [];

  constructor(state: BlackjackState) {
    this.s = cloneState(state);
  }

  get rules(): BlackjackRules {
    return this.s.rules;
  }

  apply(action: BlackjackAction): void {
    if (typeof action !== "object" || action === null || typeof action.type !== "string") {
      fail("BAD_ACTION", "an action is an object with a type");
    }
    if (SEAT_ACTIONS.has(action.type)) {
      const seat = (action as { seat?: unknown }).seat;
      if (typeof seat !== "number" || !Number.isInteger(seat) || seat < 0 || seat >= MAX_SEATS) {
        fail("BAD_SEAT", `seat must be an integer 0..${MAX_SEATS - 1}`);
      }
    }
    switch (action.type) {
      case "bet":
        this.bet(action.seat, action.amount);
        break;
      case "cancelBet":
        this.cancelBet(action.seat);
        break;
      case "deal":
        this.deal();
        break;
      case "insurance":
      case "declineInsurance":
        this.decideInsurance(action.seat, action.type === "insurance");
        break;
      case "hit":
      case "stand":
      case "double":
      case "split":
      case "surrender":
        this.play(action.seat, action.type);
        break;
      case "nextRound":
        this.nextRound();
        break;
      case "newShoe":
        this.newShoe(action.shoe);
        break;
      case "extendShoe":
        this.extendShoe(action.shoe);
        break;
      default:
        fail("BAD_ACTION", `unknown action type "${(action as { type: string }).type}"`);
    }
  }

  // ---- betting -------------------------------------------------------------------------------------------

  private bet(seat: number, amount: bigint): void {
    this.requirePhase("betting");
    if (typeof amount !== "bigint") fail("BAD_ACTION", "bet amount must be a bigint in minor units");
    if (amount < this.rules.minBet || amount > this.rules.maxBet) {
      fail("BET_OUT_OF_RANGE", `bet must be between ${this.rules.minBet} and ${this.rules.maxBet}`);
    }
    this.s.seats[seat] = { bet: amount, hands: [], insurance: "notOffered", insuranceStake: 0n };
  }

  private cancelBet(seat: number): void {
    this.requirePhase("betting");
    if (!this.s.seats[seat]) fail("NO_BET", `seat ${seat} has no bet`);
    this.s.seats[seat] = null;
  }

  private nextRound(): void {
    this.requirePhase("settled");
    this.s.seats = new Array(MAX_SEATS).fill(null);
    this.s.dealer = { cards: [], holeHidden: false };
    this.s.turn = null;
    this.s.result = null;
    this.setPhase("betting");
  }

  private newShoe(shoe: BlackjackShoe): void {
    if (this.s.phase !== "betting" && this.s.phase !== "settled") {
      fail("WRONG_PHASE", "the shoe can only be replaced between rounds");
    }
    const problem = shoeProblem(shoe);
    if (problem) fail("BAD_SHOE", problem);
    this.s.shoe = {
      cards: [...shoe.cards],
      position: shoe.position,
      cutCard: shoe.cutCard,
      sources: [...shoe.sources],
    };
  }

  /** Appends another shuffled shoe behind the last card: the answer to SHOE_EXHAUSTED in the middle of a round. */
  private extendShoe(shoe: BlackjackShoe): void {
    const problem = shoeProblem(shoe);
    if (problem) fail("BAD_SHOE", problem);
    const old = this.s.shoe;
    const offset = old.cards.length - shoe.position;
    this.s.shoe = {
      cards: [...old.cards, ...shoe.cards.slice(shoe.position)],
      position: old.position,
      cutCard: old.cutCard,
      sources: [...old.sources, ...shoe.sources.map((source) => ({ ...source, startsAt: source.startsAt + offset }))],
    };
  }

  // ---- the deal ------------------------------------------------------------------------------------------

  private deal(): void {
    this.requirePhase("betting");
    const order = this.bettingSeats();
    if (order.length === 0) fail("NO_BETS", "no seat has a bet");
    if (isCutCardReached(this.s.shoe)) fail("SHOE_FINISHED", "the cut card is out: load a new shoe first");
    this.s.round += 1;
    for (const seat of order) {
      const state = this.s.seats[seat]!;
      state.hands = [
        { cards: [], stake: state.bet, doubled: false, fromSplit: false, splitAces: false, status: "playing" },
      ];
    }
    for (const seat of order) this.dealToHand(seat, 0);
    this.dealToDealer(false);
    for (const seat of order) this.dealToHand(seat, 0);
    if (this.rules.holeCard === "peek") this.dealToDealer(true);

    for (const seat of order) {
      const hand = this.s.seats[seat]!.hands[0];
      if (isNatural(hand)) hand.status = "blackjack";
    }

    const up = this.s.dealer.cards[0];
    if (isAce(up) && this.rules.insurance) {
      let offered = false;
      for (const seat of order) {
        const state = this.s.seats[seat]!;
        state.insuranceStake = state.bet / 2n;
        const isBlackjack = state.hands[0].status === "blackjack";
        if (isBlackjack || state.insuranceStake > 0n) {
          state.insurance = "pending";
          offered = true;
        }
        if (isBlackjack) state.insuranceStake = 0n;
      }
      if (offered) {
        this.setPhase("insurance");
        return;
      }
    }
    this.afterInsurance();
  }

  private decideInsurance(seat: number, take: boolean): void {
    this.requirePhase("insurance");
    const state = this.requireSeat(seat);
    if (state.insurance === "notOffered") fail("INSURANCE_NOT_OFFERED", `seat ${seat} was not offered insurance`);
    if (state.insurance !== "pending") fail("ALREADY_DECIDED", `seat ${seat} already answered insurance`);
    const hand = state.hands[0];
    if (!take) {
      state.insurance = "declined";
      state.insuranceStake = 0n;
    } else if (hand.status === "blackjack") {
      // Even money: the blackjack is paid 1:1 now, whatever the dealer holds.
      state.insurance = "evenMoney";
      hand.status = "evenMoney";
    } else {
      state.insurance = "taken";
    }
    if (this.bettingSeats().some((k) => this.s.seats[k]!.insurance === "pending")) return;
    this.afterInsurance();
  }

  private afterInsurance(): void {
    const up = this.s.dealer.cards[0];
    if (this.rules.holeCard === "peek" && (isAce(up) || isTenValue(up))) {
      if (isTwoCardTwentyOne(this.s.dealer.cards)) {
        this.revealHole();
        this.settle();
        return;
      }
    }
    this.setPhase("playerTurns");
    this.advance();
  }

  // ---- player turns --------------------------------------------------------------------------------------

  private play(seat: number, type: "hit" | "stand" | "double" | "split" | "surrender"): void {
    this.requirePhase("playerTurns");
    const state = this.requireSeat(seat);
    const turn = this.s.turn!;
    if (turn.seat !== seat) fail("NOT_YOUR_TURN", `it is seat ${turn.seat}'s turn`);
    const hand = state.hands[turn.hand];
    const rules = this.rules;
    switch (type) {
      case "hit":
        if (!canHit(hand, rules)) fail("CANNOT_HIT", "this hand cannot take another card");
        this.dealToHand(seat, turn.hand);
        this.finishIfDone(state, hand);
        break;
      case "stand":
        hand.status = "stood";
        break;
      case "double":
        if (!canDouble(hand, rules)) fail("CANNOT_DOUBLE", "doubling is not allowed on this hand");
        hand.stake *= 2n;
        hand.doubled = true;
        this.dealToHand(seat, turn.hand);
        hand.status = handTotal(hand.cards).total > 21 ? "busted" : "doubled";
        break;
      case "split": {
        if (!canSplit(state, hand, rules)) fail("CANNOT_SPLIT", "this hand cannot be split");
        const aces = isAce(hand.cards[0]);
        const second: HandState = {
          cards: [hand.cards[1]],
          stake: hand.stake,
          doubled: false,
          fromSplit: true,
          splitAces: aces,
          status: "playing",
        };
        hand.cards = [hand.cards[0]];
        hand.fromSplit = true;
        hand.splitAces = aces;
        state.hands.splice(turn.hand + 1, 0, second);
        this.dealToHand(seat, turn.hand);
        this.finishIfDone(state, hand);
        if (aces) {
          // Split aces get their one card each straight away.
          this.dealToHand(seat, turn.hand + 1);
          this.finishIfDone(state, second);
        }
        break;
      }
      case "surrender":
        if (!canSurrender(state, hand, rules)) fail("CANNOT_SURRENDER", "surrender is not allowed on this hand");
        hand.status = "surrendered";
        break;
    }
    if (hand.status !== "playing") this.advance();
  }

  /** Ends a hand that needs no decision: bust, 21, or a split ace that may not be hit. */
  private finishIfDone(seat: SeatState, hand: HandState): void {
    const { total } = handTotal(hand.cards);
    if (total > 21) hand.status = "busted";
    else if (total === 21) hand.status = "stood";
    else if (hand.splitAces && !this.rules.hitSplitAces && hand.cards.length >= 2) {
      if (!canSplit(seat, hand, this.rules)) hand.status = "stood";
    }
  }

  /** Moves the turn to the first hand still playing (dealing a split hand its second card), or to the dealer. */
  private advance(): void {
    for (;;) {
      const next = this.firstPlayingHand();
      if (!next) {
        if (this.s.turn !== null) {
          this.s.turn = null;
          this.events.push({ type: "turnChanged", turn: null });
        }
        this.dealerTurn();
        return;
      }
      const seat = this.s.seats[next.seat]!;
      const hand = seat.hands[next.hand];
      if (hand.cards.length === 1) {
        this.dealToHand(next.seat, next.hand);
        this.finishIfDone(seat, hand);
        continue;
      }
      if (!this.s.turn || this.s.turn.seat !== next.seat || this.s.turn.hand !== next.hand) {
        this.s.turn = next;
        this.events.push({ type: "turnChanged", turn: { ...next } });
      }
      return;
    }
  }

  private firstPlayingHand(): { seat: number; hand: number } | null {
    for (let seat = 0; seat < MAX_SEATS; seat++) {
      const state = this.s.seats[seat];
      if (!state) continue;
      for (let hand = 0; hand < state.hands.length; hand++) {
        if (state.hands[hand].status === "playing") return { seat, hand };
      }
    }
    return null;
  }

  // ---- dealer and settlement -----------------------------------------------------------------------------

  private dealerTurn(): void {
    if (this.rules.holeCard === "peek") this.revealHole();
    else this.dealToDealer(false);
    const dealer = this.s.dealer;
    const dealerBlackjack = isTwoCardTwentyOne(dealer.cards);
    const live = this.bettingSeats().some((k) =>
      this.s.seats[k]!.hands.some((hand) => hand.status === "stood" || hand.status === "doubled"),
    );
    if (live && !dealerBlackjack) {
      while (dealerMustHit(dealer.cards, this.rules)) this.dealToDealer(false);
    }
    this.settle();
  }

  private settle(): void {
    this.s.turn = null;
    this.s.result = settleRound(this.s);
    this.setPhase("settled");
    this.events.push({ type: "roundSettled", result: this.s.result });
  }

  // ---- cards ---------------------------------------------------------------------------------------------

  private drawCard(): Card {
    const shoe = this.s.shoe;
    if (shoe.position >= shoe.cards.length) {
      fail("SHOE_EXHAUSTED", "the shoe ran out mid-round: extendShoe with the next shuffle, then retry");
    }
    const card = shoe.cards[shoe.position];
    shoe.position += 1;
    return card;
  }

  private dealToHand(seat: number, hand: number): void {
    const card = this.drawCard();
    this.s.seats[seat]!.hands[hand].cards.push(card);
    this.events.push({ type: "cardDealt", to: "seat", seat, hand, card });
  }

  private dealToDealer(faceDown: boolean): void {
    const card = this.drawCard();
    this.s.dealer.cards.push(card);
    if (faceDown) this.s.dealer.holeHidden = true;
    this.events.push({ type: "cardDealt", to: "dealer", card, faceDown });
  }

  private revealHole(): void {
    if (!this.s.dealer.holeHidden) return;
    this.s.dealer.holeHidden = false;
    this.events.push({ type: "holeCardRevealed", card: this.s.dealer.cards[1] });
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private bettingSeats(): number[] {
    const seats: number[] = [];
    for (let seat = 0; seat < MAX_SEATS; seat++) if (this.s.seats[seat]) seats.push(seat);
    return seats;
  }

  private requirePhase(phase: BlackjackState["phase"]): void {
    if (this.s.phase !== phase) fail("WRONG_PHASE", `not allowed in the ${this.s.phase} phase`);
  }

  private requireSeat(seat: number): SeatState {
    const state = this.s.seats[seat];
    if (!state) fail("NO_BET", `seat ${seat} has no bet in this round`);
    return state;
  }

  private setPhase(phase: BlackjackState["phase"]): void {
    this.s.phase = phase;
    this.events.push({ type: "phaseChanged", phase });
  }
}
