import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/database.ts";
import { players } from "../db/schema/index.ts";

export const DISPLAY_NAME_MIN_LENGTH = 2;
export const DISPLAY_NAME_MAX_LENGTH = 24;

/** Letters and digits of any script, with single spaces, dots, dashes and underscores between them. */
export const displayNameSchema = z
  .string({ error: "displayName must be a string" })
  .trim()
  .min(DISPLAY_NAME_MIN_LENGTH, `displayName must have at least ${DISPLAY_NAME_MIN_LENGTH} characters`)
  .max(DISPLAY_NAME_MAX_LENGTH, `displayName must have at most ${DISPLAY_NAME_MAX_LENGTH} characters`)
  .regex(
    /^[\p{L}\p{N}]+(?:[ ._-][\p{L}\p{N}]+)*$/u,
    "displayName may use letters, digits, and single spaces, dots, dashes or underscores between them",
  );

export interface Player {
  id: string;
  displayName: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export class PlayerDirectory {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async createGuest(displayName: string): Promise<Player> {
    const [player] = await this.#db.insert(players).values({ displayName }).returning();
    return player!;
  }

  async find(playerId: string): Promise<Player | undefined> {
    if (!z.uuid().safeParse(playerId).success) return undefined;
    const [player] = await this.#db.select().from(players).where(eq(players.id, playerId));
    return player;
  }

  async touch(playerId: string): Promise<void> {
    await this.#db.update(players).set({ lastSeenAt: new Date() }).where(eq(players.id, playerId));
  }
}
