import type { NextFunction, Request, Response } from "express";
import { AuthError, bearerToken, type PlayerIdentity, type TokenService } from "./tokens.ts";

declare module "express-serve-static-core" {
  interface Request {
    player?: PlayerIdentity;
  }
}

/** Express middleware: a valid `Authorization: Bearer <token>` or 401 with the reason. */
export function requirePlayer(tokens: TokenService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      req.player = await tokens.verify(bearerToken(req.headers.authorization));
      next();
    } catch (error) {
      if (error instanceof AuthError) {
        res.status(401).json({ error: error.code, message: error.message });
        return;
      }
      next(error);
    }
  };
}
