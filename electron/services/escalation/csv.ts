import { parse as parseCsv } from 'csv-parse/sync';
import { invalidInput } from '../errors';

/**
 * A CSV file with a header row, as objects keyed by the header in snake_case ("Time zone" →
 * time_zone). Data rows start at line 2 of the file, which is how errors name them.
 */
export function readCsv(text: string, source: string, field: string): Record<string, string>[] {
  try {
    return parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_')),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, string>[];
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    throw invalidInput(field, `${source}${e.lines ? `:${e.lines}` : ''}: not valid CSV (${e.message ?? String(error)})`);
  }
}
