// Worker side of the CPU physics pool: simulates the batches the pool sends and posts the results back, with the
// keyframe buffers transferred rather than copied.

import { parentPort } from "node:worker_threads";
import { simulateShots } from "../../simulation/pool/simulate-shots.ts";
import type { WorkerReply, WorkerRequest } from "./cpu-worker-protocol.ts";

if (!parentPort) throw new Error("cpu-worker.ts must run as a worker thread");
const port = parentPort;

port.on("message", (request: WorkerRequest) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const results = simulateShots(request.shots, request.options);
    for (const r of results) {
      const k = r.keyframes;
      transfer.push(
        k.time_s.buffer as ArrayBuffer,
        k.ball.buffer as ArrayBuffer,
        k.state.buffer as ArrayBuffer,
        k.data.buffer as ArrayBuffer,
      );
    }
    reply = { id: request.id, ok: true, results };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: request.id, ok: false, error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply, transfer);
});
