import { describe, expect, it } from 'vitest';
import { NOTE_FIELD_PREFIXES, noteField } from '../../shared/note-fields';

describe('note fields', () => {
  it('reads the seed 004 §9.1 fields in English and Japanese, with either colon', () => {
    expect(noteField('Detection: customer tweet')).toEqual({ field: 'detection', value: 'customer tweet' });
    expect(noteField('Detected by: the 5xx alert')?.field).toBe('detection');
    expect(noteField('Follow-up: add a canary check')?.field).toBe('followUp');
    expect(noteField('検知方法：監視アラート')).toEqual({ field: 'detection', value: '監視アラート' });
    expect(noteField('今後の対応計画: 手順書を更新')?.field).toBe('followUp');
    expect(noteField('根本原因: 設定ミス')?.field).toBe('rootCause');
    expect(noteField('Root cause: bad config')?.field).toBe('rootCause');
  });

  it('leaves other notes alone', () => {
    expect(noteField('https://example.com/x')).toBeUndefined();
    expect(noteField('Detection:   ')).toBeUndefined();
    expect(noteField('restarted api at 09:12')).toBeUndefined();
  });

  it('offers prefixes that parse back to their field', () => {
    for (const lang of ['en', 'ja'] as const) {
      for (const [field, prefix] of Object.entries(NOTE_FIELD_PREFIXES[lang])) expect(noteField(`${prefix}: x`)?.field).toBe(field);
    }
  });
});
