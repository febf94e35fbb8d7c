// Notes that start with "Root cause:", "Detection:", "今後の対応計画:" … fill those sections of
// the report and count as filled when closing. The report (electron/services/reports/model.ts)
// and the close check read them through noteField, so both see the same fields.
export type NoteFieldName = 'rootCause' | 'resolution' | 'prevention' | 'lessons' | 'occurredAt' | 'detection' | 'followUp';

const NOTE_FIELDS: Readonly<Record<string, NoteFieldName>> = {
  'root cause': 'rootCause',
  cause: 'rootCause',
  resolution: 'resolution',
  fix: 'resolution',
  prevention: 'prevention',
  lesson: 'lessons',
  lessons: 'lessons',
  'lessons learned': 'lessons',
  occurred: 'occurredAt',
  // Seed 004 §9.1: 検知方法 and 今後の対応計画.
  detection: 'detection',
  'detection method': 'detection',
  'detected by': 'detection',
  'follow-up': 'followUp',
  'follow up': 'followUp',
  'follow-up plan': 'followUp',
  'next steps': 'followUp',
  // The same fields as a Japanese console writes them (the seeds' words).
  根本原因: 'rootCause',
  原因: 'rootCause',
  解決策: 'resolution',
  対応内容: 'resolution',
  再発防止策: 'prevention',
  教訓: 'lessons',
  発生日時: 'occurredAt',
  発生時刻: 'occurredAt',
  検知方法: 'detection',
  今後の対応計画: 'followUp',
};

/** The prefix the UI offers for each field, per language (each one parses back to its field). */
export const NOTE_FIELD_PREFIXES: Readonly<Record<'en' | 'ja', Readonly<Record<NoteFieldName, string>>>> = {
  en: { rootCause: 'Root cause', detection: 'Detection', followUp: 'Follow-up', resolution: 'Resolution', prevention: 'Prevention', lessons: 'Lessons', occurredAt: 'Occurred' },
  ja: { rootCause: '根本原因', detection: '検知方法', followUp: '今後の対応計画', resolution: '解決策', prevention: '再発防止策', lessons: '教訓', occurredAt: '発生日時' },
};

export function noteField(text: string): { readonly field: NoteFieldName; readonly value: string } | undefined {
  // An English word or two, or a short Japanese term, then a colon (ASCII or full-width).
  const m = /^\s*([A-Za-z][A-Za-z -]{2,19}?|[^\s:：]{2,10}?)\s*[:：]\s*([\s\S]+)$/.exec(text);
  const field = m ? NOTE_FIELDS[m[1]!.toLowerCase()] : undefined;
  return field && m![2]!.trim() ? { field, value: m![2]! } : undefined;
}
