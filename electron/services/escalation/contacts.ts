import type { z } from 'zod';
import { contactInputSchema, type ContactInput } from '../../../shared/channels/escalation';
import { WEEKDAYS, parseDays, type Contact, type ContactImportResult, type CoverHours, type Weekday } from '../../../shared/escalation';
import type { Db } from '../db/open';
import { invalidInput, notFound } from '../errors';
import { formatZodError as formatZodIssues } from '../../dispatch';
import { readCsv } from './csv';
import { yaml } from '../lazy-require';

// The contacts directory of the profile: people, teams and vendors, their level, how to
// reach them and their hours of cover. Import and export as YAML or CSV; an import updates
// contacts of the same name (case-insensitive) and adds the rest.

interface ContactRow {
  id: number;
  name: string;
  kind: Contact['kind'];
  level: number | null;
  role: string;
  phone: string;
  email: string;
  chat: string;
  time_zone: string;
  hours: string | null;
  placeholder: number;
  notes: string;
}

type ParsedContact = z.output<typeof contactInputSchema>;

const CSV_COLUMNS = ['name', 'kind', 'level', 'role', 'phone', 'email', 'chat', 'time_zone', 'days', 'start', 'end', 'notes'] as const;

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    level: row.level === null ? null : (row.level as Contact['level']),
    role: row.role,
    phone: row.phone,
    email: row.email,
    chat: row.chat,
    timeZone: row.time_zone,
    hours: row.hours ? (JSON.parse(row.hours) as CoverHours) : null,
    placeholder: row.placeholder === 1,
    notes: row.notes,
  };
}

function daysText(days: readonly Weekday[]): string {
  return days.join(',');
}

export class ContactDirectory {
  constructor(private readonly db: Db) {}

  list(): Contact[] {
    return this.db
      .prepare<[], ContactRow>('SELECT * FROM contacts ORDER BY level IS NULL, level, kind, name')
      .all()
      .map(toContact);
  }

  find(name: string): Contact | undefined {
    const row = this.db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE name = ? COLLATE NOCASE').get(name.trim());
    return row ? toContact(row) : undefined;
  }

  /** Adds a contact, or replaces the one of the same name (which is then no longer a placeholder). */
  add(input: ContactInput | ParsedContact): Contact {
    const parsed = contactInputSchema.safeParse(input);
    if (!parsed.success) throw invalidInput('contact', formatZodIssues(parsed.error));
    this.db.transaction(() => this.upsert(parsed.data)).immediate();
    return this.find(parsed.data.name)!;
  }

  remove(name: string): Contact {
    const contact = this.find(name);
    if (!contact) throw notFound(`contact "${name}"`);
    this.db.prepare('DELETE FROM contacts WHERE id = ?').run(contact.id);
    return contact;
  }

  /** All or nothing: a bad row names its file and row and nothing is written. */
  import(format: 'yaml' | 'csv', text: string, source = 'input'): ContactImportResult {
    const parsed = format === 'yaml' ? this.fromYaml(text, source) : this.fromCsv(text, source);
    let added = 0;
    let updated = 0;
    this.db
      .transaction(() => {
        for (const contact of parsed) {
          if (this.upsert(contact)) updated++;
          else added++;
        }
      })
      .immediate();
    return { added, updated, contacts: this.list() };
  }

  export(format: 'yaml' | 'csv'): string {
    const contacts = this.list();
    if (format === 'yaml') {
      // Everything but the row id and the placeholder mark: what contactInputSchema reads back.
      const items = contacts.map(({ id: _id, placeholder: _placeholder, ...fields }) => fields);
      return `# Firebreak contacts. hours: null means around the clock; days are mon…sun, times HH:MM in timeZone.\n${yaml().stringify({ contacts: items })}`;
    }
    const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [CSV_COLUMNS.join(',')];
    for (const c of contacts) {
      lines.push(
        [c.name, c.kind, c.level === null ? '' : String(c.level), c.role, c.phone, c.email, c.chat, c.timeZone, c.hours ? daysText(c.hours.days) : '', c.hours?.start ?? '', c.hours?.end ?? '', c.notes]
          .map(cell)
          .join(','),
      );
    }
    return `${lines.join('\n')}\n`;
  }

  /** True when a contact of that name existed. */
  private upsert(c: ParsedContact): boolean {
    const existing = this.find(c.name);
    const values = {
      name: c.name,
      kind: c.kind,
      level: c.level,
      role: c.role,
      phone: c.phone,
      email: c.email,
      chat: c.chat,
      time_zone: c.timeZone,
      hours: c.hours ? JSON.stringify(c.hours) : null,
      notes: c.notes,
    };
    if (existing) {
      this.db
        .prepare(
          `UPDATE contacts SET name=@name, kind=@kind, level=@level, role=@role, phone=@phone, email=@email, chat=@chat,
           time_zone=@time_zone, hours=@hours, notes=@notes, placeholder=0 WHERE id=@id`,
        )
        .run({ ...values, id: existing.id });
      return true;
    }
    this.db
      .prepare(
        `INSERT INTO contacts (name, kind, level, role, phone, email, chat, time_zone, hours, notes, placeholder)
         VALUES (@name, @kind, @level, @role, @phone, @email, @chat, @time_zone, @hours, @notes, 0)`,
      )
      .run(values);
    return false;
  }

  private fromYaml(text: string, source: string): ParsedContact[] {
    let doc: unknown;
    try {
      doc = yaml().parse(text, { prettyErrors: true });
    } catch (error) {
      const e = error as { linePos?: { line: number }[]; message?: string };
      const line = e.linePos?.[0]?.line;
      throw invalidInput('contacts', `${source}${line ? `:${line}` : ''}: not valid YAML (${String(e.message ?? error).split('\n')[0]})`);
    }
    const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { contacts?: unknown }).contacts) ? (doc as { contacts: unknown[] }).contacts : undefined;
    if (!list) throw invalidInput('contacts', `${source}: expected a list of contacts (or "contacts:" with a list)`);
    return list.map((item, index) => {
      const parsed = contactInputSchema.safeParse(item);
      if (!parsed.success) throw invalidInput('contacts', `${source}, contact ${index + 1}${nameOf(item)}: ${formatZodIssues(parsed.error)}`);
      return parsed.data;
    });
  }

  private fromCsv(text: string, source: string): ParsedContact[] {
    const rows = readCsv(text, source, 'contacts');
    return rows.map((row, index) => {
      const line = index + 2; // header is line 1
      const days = row.days ?? '';
      const parsedDays = days ? parseDays(days) : undefined;
      if (days && !parsedDays) throw invalidInput('contacts', `${source}:${line}: days: "${days}" is not a list of days such as mon-fri or sat,sun`);
      const hours = days || row.start || row.end ? { days: parsedDays ?? [...WEEKDAYS], start: row.start || '00:00', end: row.end || '24:00' } : null;
      const candidate = {
        name: row.name ?? '',
        ...(row.kind ? { kind: row.kind.toLowerCase() } : {}),
        level: row.level ? Number(row.level) : null,
        role: row.role ?? '',
        phone: row.phone ?? '',
        email: row.email ?? '',
        chat: row.chat ?? '',
        ...((row.time_zone ?? row.timezone) ? { timeZone: row.time_zone ?? row.timezone } : {}),
        hours,
        notes: row.notes ?? '',
      };
      const parsed = contactInputSchema.safeParse(candidate);
      if (!parsed.success) throw invalidInput('contacts', `${source}:${line}: ${formatZodIssues(parsed.error)}`);
      return parsed.data;
    });
  }
}

function nameOf(item: unknown): string {
  const name = item && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name ? ` (${name})` : '';
}
