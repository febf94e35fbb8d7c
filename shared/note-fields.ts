// Notes that start with "Root cause:", "Resolution:" … fill those sections of the report and
// count as filled when closing. Same words and pattern as electron/services/reports/model.ts.
export type NoteFieldName = 'rootCause' | 'resolution' | 'prevention' | 'lessons' | 'occurredAt';

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
};

export function noteField(text: string): { readonly field: NoteFieldName; readonly value: string } | undefined {
  const m = /^\s*([A-Za-z ]{3,20}?)\s*:\s*([\s\S]+)$/.exec(text);
  const field = m ? NOTE_FIELDS[m[1]!.toLowerCase()] : undefined;
  return field && m![2]!.trim() ? { field, value: m![2]! } : undefined;
}
