import type { IncidentView, TimelineEntry } from '../../../shared/domain';
import { riskLevel } from '../../../shared/risks';
import { summarizeSignals } from '../metrics/recorder';
import { RiskRegisterFile } from '../risks/register';
import { formatUtc } from '../../../shared/datetime';
import { mdText } from './markdown';

// The report sections of issue 21, kept out of the report model: seed 000's service
// indicators around the incident window, and the risks the incident realised with the
// proposed re-scoring (the postmortem) and any re-score already recorded.

/** The indicators are summarised from this long before detection to this long after recovery. */
export const SIGNAL_MARGIN_MS = 15 * 60_000;

const LABELS = {
  en: {
    signalsTitle: 'Service indicators around the incident',
    signalsWindow: 'From {from} to {to} (15 minutes either side of the incident)',
    indicator: 'Indicator',
    min: 'Min',
    avg: 'Avg',
    max: 'Max',
    worst: 'Worst level',
    coverage: 'Readings',
    names: {
      response_time_p95: 'API response time (p95)',
      throughput: 'Throughput',
      availability: 'Availability',
      error_rate: 'Error rate',
      pool_use: 'DB connection pool use',
      query_time: 'Query time (p95)',
    },
    levels: { normal: 'normal', warning: 'warning', danger: 'danger', unknown: 'unknown' },
    risksTitle: 'Realised risks',
    risk: 'Risk',
    score: 'Score now',
    proposed: 'Proposed re-score',
    recorded: 'Recorded re-scores',
    proposalReason: 'realised in this incident: probability +1',
  },
  ja: {
    signalsTitle: 'インシデント前後のサービス指標',
    signalsWindow: '{from} から {to}（インシデントの前後15分）',
    indicator: '指標',
    min: '最小',
    avg: '平均',
    max: '最大',
    worst: '最悪レベル',
    coverage: '取得数',
    names: {
      response_time_p95: 'API応答時間（p95）',
      throughput: 'スループット',
      availability: 'システム稼働率',
      error_rate: 'エラー率',
      pool_use: '接続プール使用率',
      query_time: 'クエリ応答時間（p95）',
    },
    levels: { normal: '正常', warning: '警告', danger: '危険', unknown: '不明' },
    risksTitle: '現実になったリスク',
    risk: 'リスク',
    score: '現在のスコア',
    proposed: '再評価の提案',
    recorded: '記録された再評価',
    proposalReason: 'このインシデントで発生：発生確率 +1',
  },
} as const;

const fmt = (value: number | null, unit: string) => (value === null ? '—' : `${value.toFixed(unit === '%' ? 2 : 1)} ${unit}`);

/** The timeline entries serviceSections reads: the report asks the timeline for these kinds only. */
export const SERVICE_SECTION_KINDS = ['risk.linked', 'risk.unlinked', 'risk.rescored'] as const;

export function serviceSections(home: string, incident: IncidentView, entries: Iterable<TimelineEntry>, nowMs: number, language: string, fmtTime: (iso: string) => string = formatUtc): Record<string, unknown> {
  const L = language === 'ja' ? LABELS.ja : LABELS.en;
  const start = Date.parse(incident.detectedAt) - SIGNAL_MARGIN_MS;
  const endIso = incident.resolvedAt ?? incident.closedAt;
  const end = Math.min(nowMs, (endIso ? Date.parse(endIso) : nowMs) + SIGNAL_MARGIN_MS);
  const summary = summarizeSignals(home, start, end);
  const signals = (summary ?? []).map((s) => ({
    name: L.names[s.id],
    min: fmt(s.min, s.unit),
    avg: fmt(s.avg, s.unit),
    max: fmt(s.max, s.unit),
    worst: L.levels[s.worst],
    coverage: `${s.known}/${s.points}`,
  }));

  // Links and recorded re-scores from this incident's own timeline.
  const linked = new Set<string>();
  const recorded: { risk: string; text: string }[] = [];
  for (const entry of entries) {
    const risk = typeof entry.data.risk === 'string' ? entry.data.risk : null;
    if (!risk) continue;
    if (entry.kind === 'risk.linked') linked.add(risk);
    else if (entry.kind === 'risk.unlinked') linked.delete(risk);
    else if (entry.kind === 'risk.rescored') {
      const from = entry.data.from as { score?: number } | undefined;
      const to = entry.data.to as { score?: number } | undefined;
      recorded.push({ risk, text: `${from?.score ?? '?'} → ${to?.score ?? '?'} (${mdText(String(entry.data.reason ?? ''))}, ${fmtTime(entry.at)})` });
    }
  }
  let register: ReturnType<RiskRegisterFile['load']> | null = null;
  try {
    register = linked.size ? new RiskRegisterFile(home).load() : null;
  } catch {
    register = null; // a broken register file: the links are still listed below by id
  }
  const realisedRisks = [...linked].map((id) => {
    const risk = register?.risks.find((r) => r.id === id);
    if (!risk) return { id, title: '', score: '—', proposed: '—', recorded: recorded.filter((r) => r.risk === id).map((r) => r.text).join('; ') || '—' };
    const score = risk.impact * risk.probability;
    const probability = Math.min(5, risk.probability + 1);
    return {
      id,
      title: mdText(language === 'ja' && risk.title.ja ? risk.title.ja : risk.title.en),
      score: `${risk.impact}×${risk.probability}=${score} (${riskLevel(score)})`,
      proposed: probability === risk.probability ? '—' : `${risk.impact}×${probability}=${risk.impact * probability} (${riskLevel(risk.impact * probability)}): ${L.proposalReason}`,
      recorded: recorded.filter((r) => r.risk === id).map((r) => r.text).join('; ') || '—',
    };
  });
  return {
    serviceLabels: { ...L, signalsWindow: L.signalsWindow.replace('{from}', fmtTime(new Date(start).toISOString())).replace('{to}', fmtTime(new Date(end).toISOString())) },
    signals,
    hasSignals: signals.length > 0,
    realisedRisks,
    hasRealisedRisks: realisedRisks.length > 0,
  };
}
