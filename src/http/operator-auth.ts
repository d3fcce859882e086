import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

export interface OperatorCredentials {
  user: string;
  password: string;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * HTTP basic auth for operator pages (monitor, audit). Without configured credentials the pages are
 * refused in production and open in development, where the server logs a warning at start.
 */
export function requireOperator(credentials: OperatorCredentials | undefined, production: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!credentials) {
      if (production) {
        res.status(403).json({ error: "FORBIDDEN", message: "operator pages need MONITOR_USER and MONITOR_PASSWORD" });
        return;
      }
      next();
      return;
    }
    const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
    const separator = decoded.indexOf(":");
    const user = separator >= 0 ? decoded.slice(0, separator) : "";
    const password = separator >= 0 ? decoded.slice(separator + 1) : "";
    if (separator >= 0 && sameText(user, credentials.user) && sameText(password, credentials.password)) {
      next();
      return;
    }
    res.setHeader("WWW-Authenticate", 'Basic realm="tablestakes operators"');
    res.status(401).json({ error: "UNAUTHORIZED", message: "operator credentials required" });
  };
}
