import { ServerError } from "@colyseus/core";
import { AuthError, type PlayerIdentity } from "../src/auth/tokens.ts";
import { services } from "../src/services.ts";

/** Every room's static onAuth: a valid player token or a 401 naming the reason (TOKEN_MISSING/INVALID/EXPIRED). */
export async function authenticatePlayer(token: string | undefined): Promise<PlayerIdentity> {
  try {
    return await services().tokens.verify(token);
  } catch (error) {
    if (error instanceof AuthError) throw new ServerError(401, `${error.code}: ${error.message}`);
    throw error;
  }
}

export function playerOf(client: { auth?: unknown }): PlayerIdentity {
  return client.auth as PlayerIdentity;
}
