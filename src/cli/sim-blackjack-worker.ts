// One simulation share, run in a worker thread by sim-blackjack.ts.
import { parentPort, workerData } from "node:worker_threads";
import { rulesFromPreset, type ShuffleMode, simulateRounds } from "../../simulation/blackjack/index.ts";

export interface SimWorkerInput {
  preset: Parameters<typeof rulesFromPreset>[0];
  rounds: number;
  serverSeed: string;
  clientSeed: string;
  shuffle: ShuffleMode;
}

const input = workerData as SimWorkerInput;
const totals = simulateRounds({
  rules: rulesFromPreset(input.preset),
  rounds: input.rounds,
  serverSeed: input.serverSeed,
  clientSeed: input.clientSeed,
  shuffle: input.shuffle,
});
parentPort!.postMessage(totals);
