import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../../renderer/src/i18n/index';
import { setDisplayTimeZone } from '../../../renderer/src/i18n/dates';
import { probeErrorText } from '../../../renderer/src/views/system/probe-error-text';
import { describeEvidence } from '../../../renderer/src/views/evidence/evidence-text';

// Issue 15: probe errors shown to the operator in the UI's language; the zone is fixed here.
describe('probe errors in the UI language', () => {
  beforeAll(() => {
    initI18n('ja');
    setDisplayTimeZone('Asia/Tokyo');
  });
  afterAll(() => setDisplayTimeZone());

  it('says the known errors in Japanese, times in the one format', () => {
    const t = i18next.getFixedT('ja');
    expect(probeErrorText('connect ECONNREFUSED 127.0.0.1:6390', t)).toBe('接続を拒否されました(ECONNREFUSED 127.0.0.1:6390)');
    expect(probeErrorText('connect timed out after 2000 ms', t)).toBe('2000 ms 以内に応答がありません');
    expect(probeErrorText('circuit open after 5 failed runs; next try 2026-03-05T20:30:05.000Z', t)).toBe('5 回続けて失敗したため一時停止中。次回の試行 2026-03-06 05:30:05 UTC+09:00');
    expect(probeErrorText('secret "redis-main" is not set', t)).toBe('パスワード「redis-main」が設定されていません');
    expect(probeErrorText('HTTP 503 (expected 200)', t)).toBe('HTTP 503(期待値 200)');
    expect(probeErrorText('unreachable', t)).toBe('到達不能');
  });

  it('keeps an unknown message as it came, and English stays English', () => {
    const ja = i18next.getFixedT('ja');
    expect(probeErrorText('something new went wrong', ja)).toBe('something new went wrong');
    const en = i18next.getFixedT('en');
    expect(probeErrorText('connect timed out after 2000 ms', en)).toBe('No answer within 2000 ms');
  });

  it('names the export format in Japanese (no "証拠を dir で")', () => {
    const text = describeEvidence('evidence.exported', { format: 'dir', path: '/srv/bag', tagManifestSha256: 'a'.repeat(64) }, i18next.getFixedT('ja'));
    expect(text).toBe(`証拠をフォルダーとして /srv/bag にエクスポート(タグマニフェスト ${'a'.repeat(16)})`);
    expect(text).not.toContain('dir');
  });
});
