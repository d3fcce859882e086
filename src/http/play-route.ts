import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Request, type Response, Router } from "express";

const CLIENT_DIR = fileURLToPath(new URL("../../client/", import.meta.url));

// The bundle is a few hundred KiB; anything near this means something unintended was bundled.
export const MAX_ASSET_BYTES = 2 * 1024 * 1024;

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Versioned assets never change under their URL; the page itself is revalidated on every load. */
  cacheControl: string;
}

export interface PlayAssets {
  /** By path under /play ("" is the page). */
  byPath: Map<string, Asset>;
}

function asset(body: Buffer, contentType: string, cacheControl: string): Asset {
  if (body.byteLength > MAX_ASSET_BYTES) {
    throw new Error(`client asset of ${body.byteLength} bytes exceeds the ${MAX_ASSET_BYTES}-byte cap`);
  }
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return { body, contentType, etag, cacheControl };
}

/** Bundles client/ (TypeScript, @colyseus/sdk) with esbuild into memory: nothing is written to disk. */
export async function buildPlayAssets(): Promise<PlayAssets> {
  const result = await build({
    entryPoints: [`${CLIENT_DIR}src/main.ts`],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const script = Buffer.from(result.outputFiles[0]!.contents);
  const style = await readFile(`${CLIENT_DIR}style.css`);
  const immutable = "public, max-age=31536000, immutable";
  const scriptAsset = asset(script, "text/javascript; charset=utf-8", immutable);
  const styleAsset = asset(style, "text/css; charset=utf-8", immutable);
  const version = (a: Asset) => a.etag.slice(1, 13);
  const page = (await readFile(`${CLIENT_DIR}index.html`, "utf8"))
    .replace("{{script}}", `/play/app.js?v=${version(scriptAsset)}`)
    .replace("{{style}}", `/play/style.css?v=${version(styleAsset)}`);
  const byPath = new Map<string, Asset>([
    ["", asset(Buffer.from(page), "text/html; charset=utf-8", "no-cache")],
    ["app.js", scriptAsset],
    ["style.css", styleAsset],
  ]);
  return { byPath };
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * GET /play: the browser client. It is built on the first request (so a server that never serves it never pays
 * for the build) and kept in memory; a failed build answers 503 and is tried again on the next request.
 */
export function createPlayRouter(load: () => Promise<PlayAssets> = buildPlayAssets): Router {
  const router = Router();
  let assets: Promise<PlayAssets> | undefined;
  const serve = async (path: string, req: Request, res: Response) => {
    assets ??= load().catch((error: unknown) => {
      assets = undefined;
      throw error;
    });
    let found: Asset | undefined;
    try {
      found = (await assets).byPath.get(path);
    } catch {
      res.status(503).json({ error: "CLIENT_UNAVAILABLE", message: "the browser client could not be built" });
      return;
    }
    if (!found) {
      res.status(404).json({ error: "NOT_FOUND", message: "no such file in the browser client" });
      return;
    }
    res.setHeader("Cache-Control", found.cacheControl);
    res.setHeader("ETag", found.etag);
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (path === "") res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    if (req.headers["if-none-match"] === found.etag) {
      res.status(304).end();
      return;
    }
    res.type(found.contentType).send(found.body);
  };
  router.get(["/play", "/play/"], (req, res) => serve("", req, res));
  router.get("/play/:file", (req, res) => serve(req.params.file ?? "", req, res));
  return router;
}
