import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en';
import { enEscalation } from '../../renderer/src/i18n/en-escalation';
import { enEvidence } from '../../renderer/src/i18n/en-evidence';
import { enMonitor } from '../../renderer/src/i18n/en-monitor';
import { enReports } from '../../renderer/src/i18n/en-reports';
import { enRunbooks } from '../../renderer/src/i18n/en-runbooks';
import { initI18n } from '../../renderer/src/i18n/index';
import { ja } from '../../renderer/src/i18n/ja';
import { jaEscalation } from '../../renderer/src/i18n/ja-escalation';
import { jaEvidence } from '../../renderer/src/i18n/ja-evidence';
import { jaMonitor } from '../../renderer/src/i18n/ja-monitor';
import { jaReports } from '../../renderer/src/i18n/ja-reports';
import { jaRunbooks } from '../../renderer/src/i18n/ja-runbooks';
import { languageFromPreferences } from '../../renderer/src/i18n/language';
import { formatDuration } from '../../shared/sla';
import { formatDurationIn } from '../../shared/duration';

type Tree = { readonly [key: string]: unknown };

/** Every leaf as "a.b.c" → value; a non-string, non-object leaf is reported as a problem. */
function flatten(tree: Tree, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') flatten(value as Tree, path, out);
    else out.set(path, value);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]).sort();

// Each feature bundle pair, plus the merged bundles (which also catch a feature bundle that
// was not spread into en.ts / ja.ts).
const PAIRS: ReadonlyArray<readonly [string, Tree, Tree]> = [
  ['escalation', enEscalation, jaEscalation],
  ['evidence', enEvidence, jaEvidence],
  ['monitor', enMonitor, jaMonitor],
  ['reports', enReports, jaReports],
  ['runbooks', enRunbooks, jaRunbooks],
  ['all', en, ja],
];

describe('UI strings: English and Japanese', () => {
  for (const [name, enTree, jaTree] of PAIRS) {
    describe(name, () => {
      const enFlat = flatten(enTree);
      const jaFlat = flatten(jaTree);

      it('has exactly the same keys in both languages', () => {
        const missingInJa = [...enFlat.keys()].filter((k) => !jaFlat.has(k));
        const extraInJa = [...jaFlat.keys()].filter((k) => !enFlat.has(k));
        expect({ missingInJa, extraInJa }).toEqual({ missingInJa: [], extraInJa: [] });
      });

      it('has a non-empty string for every key', () => {
        const bad = [...enFlat, ...jaFlat].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
        expect(bad).toEqual([]);
      });

      it('uses the same {{placeholders}} for the same key', () => {
        const differ = [...enFlat.keys()]
          .filter((k) => jaFlat.has(k))
          .filter((k) => placeholders(String(enFlat.get(k))).join(',') !== placeholders(String(jaFlat.get(k))).join(','))
          .map((k) => `${k}: en {${placeholders(String(enFlat.get(k)))}} ja {${placeholders(String(jaFlat.get(k)))}}`);
        expect(differ).toEqual([]);
      });
    });
  }

  it('keeps plural pairs complete: a key_one always has its key_other', () => {
    const keys = [...flatten(ja).keys()];
    const orphans = keys.filter((k) => k.endsWith('_one') && !keys.includes(k.replace(/_one$/, '_other')));
    expect(orphans).toEqual([]);
  });

  it('really is Japanese where it should be (severity labels from the seeds)', () => {
    expect([ja.severity.critical.label, ja.severity.high.label, ja.severity.medium.label, ja.severity.low.label]).toEqual(['緊急', '高', '中', '低']);
    expect(ja.sla.response).toBe('初期対応');
    expect(ja.sla.recovery).toBe('復旧');
  });

  it('resolves Japanese plurals and interpolation through i18next', async () => {
    const i18n = initI18n('ja');
    expect(i18n.t('evidence.preview.matches', { count: 1 })).toBe('一致する行 1 件');
    expect(i18n.t('sla.left', { time: '12分30秒' })).toBe('残り 12分30秒');
    await i18n.changeLanguage('en');
    expect(i18next.t('sla.left', { time: '12m 30s' })).toBe('12m 30s left');
  });

  it('picks Japanese from the OS/browser preference only when it comes first', () => {
    expect(languageFromPreferences(['ja-JP', 'en-US'])).toBe('ja');
    expect(languageFromPreferences(['ja'])).toBe('ja');
    expect(languageFromPreferences(['en-US', 'ja'])).toBe('en');
    expect(languageFromPreferences(['jv'])).toBe('en');
    expect(languageFromPreferences([])).toBe('en');
  });
});

describe('formatDurationIn', () => {
  it('is the SLA formatter in English', () => {
    for (const ms of [0, 750_000, 3_900_000, 97_200_000, -190_000]) expect(formatDurationIn(ms, 'en')).toBe(formatDuration(ms));
    expect(formatDurationIn(3_900_000, 'en-US')).toBe('1h 05m');
    expect(formatDurationIn(750_000, 'en')).toBe('12m 30s');
  });

  it('uses Japanese units with the same precision in Japanese', () => {
    expect(formatDurationIn(3_900_000, 'ja')).toBe('1時間05分');
    expect(formatDurationIn(750_000, 'ja-JP')).toBe('12分30秒');
    expect(formatDurationIn(0, 'ja')).toBe('0分00秒');
    expect(formatDurationIn(97_200_000, 'ja')).toBe('1日03時間');
    expect(formatDurationIn(-190_000, 'ja')).toBe('-3分10秒');
    expect(formatDurationIn(15 * 60_000, 'ja')).toBe('15分00秒');
  });
});
