/**
 * Splits "incidents.create" into ["incidents", "create"]. Kept apart from contract.ts so the
 * renderer can use it without bundling the zod schemas it never runs.
 */
export function splitChannel(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}
