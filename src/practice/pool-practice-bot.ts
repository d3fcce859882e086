import type { Room } from "@colyseus/sdk";
import type { Synced } from "../../protocol/common.ts";
import type { PoolStateView } from "../../protocol/pool.ts";
import { BOT_LEVELS, type BotLevel } from "../../simulation/pool/bot/index.ts";
import type { EightBallState, ObjectBall } from "../../simulation/pool/eightball/index.ts";
import type { TableSize } from "../../simulation/pool/index.ts";
import type { ShotBatcher } from "../physics/batcher.ts";
import { botDecision, chooseBotShot, simulateThrough } from "../physics/pool-bot.ts";

/** The pool room's state as the bot's connection has it synced. */
type PoolView = Synced<PoolStateView>;

export interface PracticeBotOptions {
  playerId: string;
  level: BotLevel["name"];
  physics: ShotBatcher;
  /** A pause before each shot, so a watching player sees the table settle first. */
  thinkMs: number;
  /** How long the bot waits for its opponent to sit before it leaves the room. */
  waitForOpponentMs: number;
  onProblem: (problem: string) => void;
}

/** The rules' state as the synced room shows it: what the bot's candidate scoring needs. */
export function rulesStateOf(view: PoolView): EightBallState {
  const groupOf = (seat: number) => view.seats.get(String(seat))?.group ?? "";
  const groups = groupOf(0) && groupOf(1) ? ([groupOf(0), groupOf(1)] as EightBallState["groups"]) : null;
  const onTable = [...view.balls].map((b) => b.id).filter((id) => id !== 0);
  return {
    phase: view.rulesPhase as EightBallState["phase"],
    rack: view.rack,
    shotCount: view.shotCount,
    breaker: view.breaker as 0 | 1,
    shooter: view.shooter as 0 | 1,
    groups,
    ballInHand: view.ballInHand === "" ? null : (view.ballInHand as EightBallState["ballInHand"]),
    ballsOnTable: (onTable as ObjectBall[]).sort((a, b) => a - b),
    // Where a ball went down does not change what the shooter may play next.
    ballsDown: [...view.ballsDown].map((ball) => ({ ball: ball as ObjectBall, where: 0 as const })),
    pendingDecision: null,
    result: null,
  };
}

/**
 * The server's pool bot as a player: it joins a practice room through a real SDK connection like any client, reads
 * the synced state, and sends `shoot` with the shot the bot engine (src/physics/pool-bot.ts) chose after simulating
 * its candidates through the process's physics batcher. It leaves when the match is over, when its opponent never
 * came, or when the room closes.
 */
export class PracticePoolBot {
  readonly room: Room<unknown, PoolView>;
  readonly options: PracticeBotOptions;
  #acted = "";
  #busy = false;
  #waiting: ReturnType<typeof setTimeout> | undefined;

  constructor(room: Room<unknown, PoolView>, options: PracticeBotOptions) {
    this.room = room;
    this.options = options;
    room.onMessage("error", (error: { type: string; code: string; message: string }) => {
      options.onProblem(`${error.type}: ${error.code} ${error.message}`);
    });
    room.onMessage("matchOver", () => {
      void room.leave();
    });
    for (const type of ["shot", "decision", "timeout", "matchStarted"]) room.onMessage(type, () => {});
    room.onStateChange((state: PoolView) => this.decide(state));
    room.onLeave(() => clearTimeout(this.#waiting));
    this.#waiting = setTimeout(() => {
      const state = room.state;
      if (!state || state.phase === "waiting") void room.leave();
    }, options.waitForOpponentMs);
  }

  private mySeat(view: PoolView): number {
    if (!view.seats) return -1;
    for (const [key, seat] of view.seats) if (seat.playerId === this.options.playerId) return Number(key);
    return -1;
  }

  private decide(view: PoolView) {
    const seat = this.mySeat(view);
    if (seat < 0 || this.#busy) return;
    if (view.phase === "accepting" && !view.seats.get(String(seat))?.accepted) {
      this.once("accept", () => this.room.send("acceptStake", {}));
      return;
    }
    if (view.phase !== "playing" || view.shooter !== seat || view.shotInProgress || view.deadline === 0) return;
    const turn = `${view.rack}:${view.shotCount}:${view.decisionReason}:${view.deadline}`;
    if (view.decisionReason !== "") {
      this.once(turn, () => this.room.send("decide", botDecision(rulesStateOf(view))));
      return;
    }
    this.once(turn, () => {
      this.#busy = true;
      void this.shoot(view).finally(() => {
        this.#busy = false;
      });
    });
  }

  private async shoot(view: PoolView) {
    const table = { table: view.table as TableSize, balls: [...view.balls].map((b) => ({ id: b.id, x: b.x, y: b.y })) };
    const state = rulesStateOf(view);
    const [choice] = await Promise.all([
      chooseBotShot(simulateThrough(this.options.physics), table, state, BOT_LEVELS[this.options.level], Math.random),
      new Promise((resolve) => setTimeout(resolve, this.options.thinkMs)),
    ]);
    const strike = choice.shot.strike!;
    const cue = choice.shot.balls.find((b) => b.id === 0)!;
    this.room.send("shoot", {
      directionRad: strike.direction_rad ?? 0,
      speed: strike.speed_m_s,
      side: strike.side ?? 0,
      vertical: strike.vertical ?? 0,
      calledPocket: choice.intent.calledPocket,
      cueBall: state.ballInHand ? { x: cue.x, y: cue.y } : null,
    });
  }

  private once(key: string, act: () => void) {
    if (key === this.#acted) return;
    this.#acted = key;
    act();
  }
}
