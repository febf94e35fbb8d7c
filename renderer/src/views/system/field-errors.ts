import { ApiError } from '../../api';

/**
 * The boundary reports invalid input as "path.to.field: message; other.field: message"
 * (electron/dispatch.ts formatZodError). This splits it into a map from the path after
 * `prefix` to its message, so forms can show each error next to its field.
 */
export function fieldErrors(error: unknown, prefix: string): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  if (!(error instanceof ApiError) || error.code !== 'invalid_input') {
    other.push(error instanceof Error ? error.message : String(error));
    return { fields, other };
  }
  for (const part of error.message.split('; ')) {
    const match = /^([\w.]+): (.*)$/s.exec(part);
    const path = match?.[1];
    if (match && path !== undefined && (prefix === '' || path === prefix || path.startsWith(`${prefix}.`))) {
      const rest = prefix === '' ? path : path.slice(prefix.length + 1);
      fields[rest] ??= match[2]!;
    } else other.push(part);
  }
  return { fields, other };
}
