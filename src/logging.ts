import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "tablestakes" } });
}

/** Room events carry the room and, where there is one, the player. */
export function roomLogger(logger: Logger, roomName: string, roomId: string): Logger {
  return logger.child({ room: roomName, roomId });
}
