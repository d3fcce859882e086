import type { SeedState } from "../rng/index.ts";
import type { DrawsConfig } from "./config.ts";
import { applyDrawsAction, createDrawsMatch } from "./engine.ts";
import type { DrawsAction, DrawsError, DrawsEvent, DrawsState, RoundResult } from "./state.ts";

/** Longest action log one replay accepts (a full match of MAX_ROUNDS_PER_MATCH rounds fits many times over). */
export const MAX_REPLAY_ACTIONS = 1_000_000;

export interface DrawsReplay {
  state: DrawsState;
  events: DrawsEvent[];
  /** Every round resolved during the replay, in order. */
  results: RoundResult[];
}

export class DrawsReplayError extends Error {
  readonly actionIndex: number;
  readonly error: DrawsError;
  constructor(actionIndex: number, error: DrawsError) {
    super(`action ${actionIndex} was rejected: ${error.code} ${error.message}`);
    this.actionIndex = actionIndex;
    this.error = error;
  }
}

/**
 * Replays a match from its start: the config, the seed state it began with (server seed revealed) and every
 * accepted action in order, `useSeeds` rotations included. A stored log holds only accepted actions, so a
 * rejected one means the log or the seeds are wrong: it throws DrawsReplayError.
 */
export function replayDraws(config: DrawsConfig, seeds: SeedState, actions: readonly DrawsAction[]): DrawsReplay {
  if (actions.length > MAX_REPLAY_ACTIONS) throw new RangeError(`a replay takes at most ${MAX_REPLAY_ACTIONS} actions`);
  let state = createDrawsMatch(config, seeds);
  const events: DrawsEvent[] = [];
  const results: RoundResult[] = [];
  actions.forEach((action, index) => {
    const outcome = applyDrawsAction(state, action);
    if (!outcome.ok) throw new DrawsReplayError(index, outcome.error);
    state = outcome.state;
    for (const event of outcome.events) {
      events.push(event);
      if (event.type === "roundResolved") results.push(event.result);
    }
  });
  return { state, events, results };
}
