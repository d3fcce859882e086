// The messages between the CPU worker pool and its workers.

import type { ShotInput, ShotResult, SimulateOptions } from "../../simulation/pool/simulate-shots.ts";

export interface WorkerRequest {
  id: number;
  shots: ShotInput[];
  options: SimulateOptions;
}

export type WorkerReply =
  | { id: number; ok: true; results: ShotResult[] }
  | { id: number; ok: false; error: { name: string; message: string } };
