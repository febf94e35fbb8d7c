import type { TFunction } from 'i18next';

// Timeline sentences for the risk register and service-metric alerts (issue 21).

export function isRiskKind(kind: string): boolean {
  return kind.startsWith('risk.') || kind === 'signal.alert';
}

export function describeRiskEntry(kind: string, d: Readonly<Record<string, unknown>>, t: TFunction): string {
  const s = (key: string) => (typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '');
  const score = (key: string) => {
    const v = d[key] as { impact?: number; probability?: number; score?: number } | undefined;
    return v ? `${v.impact ?? '?'}×${v.probability ?? '?'}=${v.score ?? '?'}` : '?';
  };
  switch (kind) {
    case 'risk.warning':
      return t('risks.entry.warning', {
        id: s('risk'),
        title: s('title'),
        score: s('score'),
        condition: s('condition'),
        mitigation: s('mitigation') || '—',
        runbooks: Array.isArray(d.runbooks) ? d.runbooks.join(', ') : '—',
      });
    case 'risk.linked':
      return t('risks.entry.linked', { id: s('risk'), title: s('title'), score: s('score') });
    case 'risk.unlinked':
      return t('risks.entry.unlinked', { id: s('risk'), reason: s('reason') });
    case 'risk.rescored':
      return t('risks.entry.rescored', { id: s('risk'), from: score('from'), to: score('to'), reason: s('reason') });
    case 'signal.alert': {
      const value = typeof d.value === 'number' ? `${d.value.toFixed(s('unit') === '%' ? 2 : 1)} ${s('unit')}` : '?';
      return t('risks.entry.signal', { name: t(`signals.names.${s('indicator')}`), value, level: t(`signals.level.${s('level')}`) });
    }
    default:
      return `${kind} ${JSON.stringify(d)}`;
  }
}
