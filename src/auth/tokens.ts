import { errors, jwtVerify, SignJWT } from "jose";

/** What a verified token says about its bearer. */
export interface PlayerIdentity {
  playerId: string;
  displayName: string;
}

export type AuthErrorCode = "TOKEN_MISSING" | "TOKEN_INVALID" | "TOKEN_EXPIRED";

export class AuthError extends Error {
  readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string) {
    super(message);
    this.name = "AuthError";
    this.code = code;
  }
}

const ISSUER = "tablestakes";
const AUDIENCE = "tablestakes:player";

export class TokenService {
  readonly #key: Uint8Array;
  readonly #ttlSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    this.#key = new TextEncoder().encode(secret);
    this.#ttlSeconds = ttlSeconds;
  }

  async issue(identity: PlayerIdentity, ttlSeconds = this.#ttlSeconds): Promise<string> {
    return new SignJWT({ name: identity.displayName })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(identity.playerId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.#key);
  }

  async verify(token: string | undefined | null): Promise<PlayerIdentity> {
    if (!token) throw new AuthError("TOKEN_MISSING", "a player token is required: sign in with POST /auth/guest");
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        // A token that never expires would be a key for life: every player token carries an expiry.
        requiredClaims: ["exp"],
      });
      if (typeof payload.sub !== "string" || typeof payload.name !== "string") {
        throw new AuthError("TOKEN_INVALID", "the token does not name a player");
      }
      return { playerId: payload.sub, displayName: payload.name };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new AuthError("TOKEN_EXPIRED", "the token has expired: sign in again");
      throw new AuthError("TOKEN_INVALID", "the token is not valid");
    }
  }
}

export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorizationHeader ?? "");
  return match?.[1];
}
