// A real pino logger whose lines are kept for the test to read.

import { pino } from "pino";
import type { Logger } from "../../src/logging.ts";

export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}
