// A plain-text e-mail (RFC 5322 + MIME) the operator opens in their own mail client and
// sends: UTF-8 body in base64, RFC 2047 subject, X-Unsent so Outlook opens it as a draft.

function encodedWord(text: string): string {
  // ASCII subjects stay readable; anything else is one B-encoded word per ≤45 bytes chunk.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

export function buildEml(message: { to: readonly string[]; subject: string; text: string; date: Date }): string {
  const body = Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const headers = [
    'MIME-Version: 1.0',
    `Date: ${message.date.toUTCString().replace('GMT', '+0000')}`,
    ...(message.to.length ? [`To: ${message.to.join(', ')}`] : []),
    `Subject: ${encodedWord(message.subject)}`,
    'X-Unsent: 1',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}\r\n`;
}

export function mailtoLink(to: readonly string[], subject: string, text: string): string {
  return `mailto:${to.map(encodeURIComponent).join(',')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`;
}
