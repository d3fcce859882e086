import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logging.ts";

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
 * HTTP basic auth for operator pages (monitor, audit), in every mode. Without credentials (production with none
 * configured; elsewhere they are generated at start) every request is refused.
 */
export function requireOperator(credentials: OperatorCredentials | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!credentials) {
      res.status(403).json({ error: "FORBIDDEN", message: "operator pages need MONITOR_USER and MONITOR_PASSWORD" });
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

/** Says once, at start-up, how operators get in: generated credentials are printed here and nowhere else. */
export function logOperatorAccess(
  config: { monitor: OperatorCredentials | undefined; monitorGenerated: boolean },
  logger: Logger,
) {
  if (config.monitorGenerated && config.monitor) {
    logger.warn(
      { operatorUser: config.monitor.user, operatorPassword: config.monitor.password },
      "MONITOR_USER/MONITOR_PASSWORD are not set: generated operator credentials for /colyseus and /admin for this run",
    );
  } else if (!config.monitor) {
    logger.warn("MONITOR_USER/MONITOR_PASSWORD are not set: /colyseus and operator routes are refused");
  }
}
