import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

const NEGATIVE_NUMBER = /^-\d/;

/**
 * `--severity -1` / `--tail -5`: node:util calls a value starting with a dash ambiguous and
 * prints four lines. A negative number after an option that takes a value is that value, so
 * it is joined (`--tail=-5`) and the command's own check names what is wrong with it.
 */
function joinNegativeValues(args: string[], options: Options): string[] {
  const takesValue = new Set<string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (option.short) takesValue.add(`-${option.short}`);
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** node:util's multi-line messages as one line naming the flag. */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(error.message);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && ambiguous) {
    return `${ambiguous[1]} needs a value; to give one that starts with a dash write ${ambiguous[1]}=VALUE`;
  }
  return error.message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('\n')[0]!;
}

/** node:util parseArgs with errors turned into one-line UsageErrors naming the offending flag. */
export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(oneLine(error));
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
