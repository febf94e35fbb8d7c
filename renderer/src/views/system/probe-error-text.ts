import type { TFunction } from 'i18next';
import { formatDateTime } from '../../i18n/dates';

// The probe runner reports errors as English sentences (they go to logs and the CLI too);
// the console shows the ones it knows in the UI's language and anything else as it came.
type Rule = readonly [RegExp, (m: RegExpExecArray, t: TFunction) => string];

const code = (text: string) => /\b(E[A-Z]{4,})\b/.exec(text)?.[1] ?? text;

const RULES: readonly Rule[] = [
  [/^circuit open after (\d+) failed runs; next try (\S+)$/, (m, t) => t('probeErrors.circuitOpen', { count: Number(m[1]), time: m[2] === 'soon' ? '—' : formatDateTime(m[2]!) })],
  [/^secret "([^"]*)" is not set$/, (m, t) => t('probeErrors.noSecret', { name: m[1] })],
  [/^authentication failed: (.*)$/s, (m, t) => t('probeErrors.auth', { detail: m[1] })],
  [/ECONNREFUSED/, (m, t) => t('probeErrors.refused', { detail: code(m.input) === m.input ? 'ECONNREFUSED' : m.input.replace(/^connect /, '') })],
  [/ENOTFOUND|EAI_AGAIN/, (m, t) => t('probeErrors.notFound', { detail: m.input.replace(/^getaddrinfo /, '') })],
  [/EHOSTUNREACH|ENETUNREACH/, (m, t) => t('probeErrors.unreachable', { detail: code(m.input) })],
  [/^(?:no response|no answer|no Bolt handshake reply) within (\d+) ms|^connect timed out after (\d+) ms/, (m, t) => t('probeErrors.timeout', { ms: Number(m[1] ?? m[2]) })],
  [/ETIMEDOUT|timed? ?out/i, (_m, t) => t('probeErrors.timeoutPlain')],
  [/ECONNRESET|closed the connection|connection closed before/, (_m, t) => t('probeErrors.reset')],
  [/^the server answered with HTTP/, (_m, t) => t('probeErrors.notBolt')],
  [/^HTTP (\d{3})(?: \(expected ([\d/]+)\))?$/, (m, t) => t('probeErrors.http', { status: m[1], expected: m[2] ? t('probeErrors.httpExpected', { list: m[2] }) : '' })],
  [/^health status "([^"]*)"$/, (m, t) => t('probeErrors.healthStatus', { status: m[1] })],
  [/^response does not contain (.*)$/s, (m, t) => t('probeErrors.missingText', { text: m[1] })],
  [/^unreachable$/, (_m, t) => t('probeErrors.unreachableReason')],
  [/^circuit breaker open$/, (_m, t) => t('probeErrors.breakerReason')],
];

export function probeErrorText(text: string, t: TFunction): string {
  for (const [re, say] of RULES) {
    const m = re.exec(text);
    if (m) return say(m, t);
  }
  return text;
}
