/** Secrets shorter than this are not searched for (they would mangle every message). */
const MIN_SECRET_LENGTH = 3;

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]*)@/gi;

/** Masks `scheme://user:password@` and every known secret value in a string. */
export function scrubText(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:***@`);
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out;
}

/** A URL for display: credentials removed entirely. */
export function displayUrl(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return scrubText(value);
  }
}

/** Deep-scrubs strings in a JSON-like value (results, details, events). */
export function scrubValue<T>(value: T, secrets: readonly (string | null | undefined)[]): T {
  if (typeof value === 'string') return scrubText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets);
    return out as T;
  }
  return value;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code.length > 0 && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
