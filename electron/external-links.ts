// Which URLs may leave the app for the operating system's handler (browser, mail client).
// Kept apart from main.ts so the policy is a pure function tested without Electron.

/** Web links and mail links; nothing else (file:, smb:, javascript:, custom schemes) ever reaches shell.openExternal. */
const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** True when a link the user clicked may be handed to shell.openExternal. */
export function isExternalLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) return false;
  // A web link needs a host; credentials in a link the app hands out are never wanted.
  if (parsed.protocol !== 'mailto:') return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
  return true;
}

/** A mailto: link: what a navigation (an <a href="mailto:…"> without a target) may hand over. */
export function isMailLink(url: string): boolean {
  return isExternalLink(url) && url.slice(0, 7).toLowerCase() === 'mailto:';
}
