import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Resolves a URL path inside `root`, refusing anything that escapes it. Paths without an
 * extension fall back to index.html so client-side routes survive a reload.
 */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return undefined;
  if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  if (path.extname(decoded) === '') return path.join(root, 'index.html');
  return undefined;
}

export function sendFile(res: ServerResponse, file: string, headers: Record<string, string>): void {
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const isHtml = type.startsWith('text/html');
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    // Hashed asset names are immutable; the page itself must always be fresh.
    'Cache-Control': isHtml ? 'no-store' : 'private, max-age=31536000, immutable',
  });
  fs.createReadStream(file).pipe(res);
}
