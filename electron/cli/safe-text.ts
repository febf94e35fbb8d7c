// What the CLI prints may carry text anyone could write: incident titles, notes, file names,
// alert messages from a probed server. A raw ESC, C1 control or BEL in it would drive the
// operator's terminal (retitle it, clear it, move the cursor, hide lines), so every line the
// CLI prints passes through here.

/** C0 controls except tab and newline, DEL, and the C1 block (U+0080–U+009F, e.g. U+009B CSI). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Replaces each control character with its `\uXXXX` escape: visible to the reader, inert for
 * the terminal, and in JSON output it is the same escape JSON itself uses, so parsing the
 * output still yields the original text.
 */
export function neutraliseControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
