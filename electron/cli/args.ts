import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with errors turned into UsageError naming the offending flag. */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/^TypeError \[[A-Z_]+\]: /, '') : String(error));
  }
}

/** Accepts 12, INC-12 and INC-0012. */
export function parseIncidentId(value: string | undefined): number {
  if (value === undefined) throw new UsageError('missing incident id (e.g. 12 or INC-0012)');
  const match = /^(?:inc-?)?0*(\d+)$/i.exec(value.trim());
  const id = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`"${value}" is not an incident id (e.g. 12 or INC-0012)`);
  return id;
}
