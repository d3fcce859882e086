import { isShooterOnEight, type PlayerId } from "../../simulation/pool/eightball/index.ts";
import type { PoolMatch } from "../../simulation/pool/match.ts";
import { type SeatHolder, syncSeatViews } from "../seats.ts";
import { PoolBallView, type PoolRoomStateType, PoolSeatView } from "./room-state.ts";
import type { PoolTimers } from "./turn-timers.ts";

export interface PoolSeatHolder extends SeatHolder {
  connected: boolean;
  accepted: boolean;
}

/** The seats as clients see them: who sits where, connected, accepted, their group and extensions left. */
export function syncPoolSeats(
  state: PoolRoomStateType,
  seated: readonly (PoolSeatHolder | null)[],
  match: PoolMatch | null,
  timers: PoolTimers,
): void {
  syncSeatViews(
    seated,
    state.seats,
    (seat) => new PoolSeatView({ seat }),
    (view, player, seat) => {
      view.connected = player.connected;
      view.accepted = player.accepted;
      view.extensionsLeft = timers.extensionsLeft(seat as PlayerId);
      view.group = match?.rules.groups?.[seat as PlayerId] ?? "";
    },
  );
}

/** The table and the rules' position as clients see them, with the clocks' deadlines. */
export function syncPoolMatch(state: PoolRoomStateType, match: PoolMatch, timers: PoolTimers): void {
  const rules = match.rules;
  state.rulesPhase = rules.phase;
  state.rack = rules.rack;
  state.breaker = rules.breaker;
  state.shooter = rules.shooter;
  state.ballInHand = rules.ballInHand ?? "";
  state.mustCallPocket = rules.phase !== "gameOver" && !rules.pendingDecision && isShooterOnEight(rules);
  state.decisionReason = rules.pendingDecision?.reason ?? "";
  state.rerackBreakers.clear();
  for (const breaker of rules.pendingDecision?.rerackBreakers ?? []) state.rerackBreakers.push(breaker);
  state.shotCount = rules.shotCount;
  state.balls.clear();
  for (const ball of match.balls) state.balls.push(new PoolBallView({ id: ball.id, x: ball.x, y: ball.y }));
  state.ballsDown.clear();
  for (const { ball } of rules.ballsDown) state.ballsDown.push(ball);
  state.deadline = timers.turnDeadlineMs;
  state.matchDeadline = timers.matchDeadlineMs;
}
