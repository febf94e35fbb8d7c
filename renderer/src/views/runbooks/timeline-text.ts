import type { TFunction } from 'i18next';
import { formatDuration } from '../../i18n/format';

const RUNBOOK_KINDS = new Set([
  'runbook.started',
  'runbook.step',
  'runbook.phase',
  'runbook.completed',
  'runbook.reopened',
  'runbook.target',
  'command.finished',
  'terminal.started',
  'terminal.exited',
]);

/** 12 ms, 3.4 s, 42 s, then the SLA clocks' 2m 05s. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 60_000 ? `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s` : formatDuration(ms);
}

export const isRunbookKind = (kind: string): boolean => RUNBOOK_KINDS.has(kind);

function short(text: string, max = 80): string {
  const one = text.replace(/\s*\n\s*/g, ' ; ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Readable text for the timeline entries of runbooks and terminals. */
export function describeRunbookEntry(kind: string, d: Readonly<Record<string, unknown>>, t: TFunction): string {
  const s = (key: string) => String(d[key] ?? '');
  const ms = (key: string) => formatDuration(Number(d[key] ?? 0));
  switch (kind) {
    case 'runbook.started':
      // A runbook without a version (most imported ones) is named by its title alone.
      return s('version') === '' ? t('timelineRunbooks.startedUnversioned', { title: s('title') }) : t('timelineRunbooks.started', { title: s('title'), version: s('version') });
    case 'runbook.step': {
      const status = t(`runbooks.status.${s('status')}`, { defaultValue: s('status') });
      const extra = d.reason ? ` — ${s('reason')}` : d.note ? ` — ${s('note')}` : '';
      return `${t('timelineRunbooks.step', { status: status.toLowerCase(), title: s('title') || s('stepId') })}${extra}`;
    }
    case 'runbook.phase':
      return d.overrun
        ? t('timelineRunbooks.phaseOverrun', { title: s('title'), used: ms('usedMs'), budget: s('budgetMinutes') })
        : t('timelineRunbooks.phase', { title: s('title'), used: ms('usedMs') });
    case 'runbook.completed':
      return t('timelineRunbooks.completed', { title: s('title') || s('runbookId'), status: t(`timelineRunbooks.outcome.${s('status')}`, { defaultValue: s('status') }) });
    case 'runbook.reopened':
      return t('timelineRunbooks.reopened');
    case 'runbook.target': {
      // null is this laptop (the run's target column).
      const where = (key: string) => (d[key] === null || d[key] === undefined || d[key] === 'local' ? t('alertEntry.thisLaptop') : s(key));
      return t('timelineRunbooks.target', { target: where('target'), previous: where('previous') });
    }
    case 'command.finished': {
      const text = t('timelineRunbooks.command', {
        command: short(s('command')),
        code: d.exitCode === null ? '?' : s('exitCode'),
        duration: durationText(Number(d.durationMs ?? 0)),
      });
      return d.hash ? `${text} · sha256 ${s('hash').slice(0, 12)}` : text;
    }
    case 'terminal.started':
      return t('timelineRunbooks.terminalStarted', { shell: s('shell') });
    case 'terminal.exited':
      return t('timelineRunbooks.terminalExited', { reason: t(`terminals.reason.${s('reason')}`, { defaultValue: s('reason') }), code: d.signal ? `signal ${s('signal')}` : `exit ${s('exitCode')}` });
    default:
      return `${kind} ${JSON.stringify(d)}`;
  }
}
