// The pool bot: pure shot choice over simulated candidates (see choose-shot.ts); src/physics/pool-bot.ts runs it
// through the process's shot batcher.

export {
  type BotTable,
  type Candidate,
  chooseCandidate,
  executeWithNoise,
  legalTargets,
  proposeCandidates,
  type ScoredCandidate,
  scoreCandidate,
} from "./choose-shot.ts";
export { BOT_LEVELS, type BotLevel, MAX_BOT_CANDIDATES } from "./levels.ts";
