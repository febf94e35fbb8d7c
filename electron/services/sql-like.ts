/** `text` as a literal LIKE pattern (use with ESCAPE '\'): % and _ mean themselves. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
