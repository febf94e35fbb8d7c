import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, ContactKind, OnCallView } from '../../../../shared/escalation';
import { CONTACT_KINDS, WEEKDAYS, isInCover, parseDays } from '../../../../shared/escalation';
import { api, errorMessage } from '../../api';
import { useNow } from '../../hooks';
import { useAppStore } from '../../store/store';
import { formatDateTime } from '../escalation/time';
import { Overrides } from './Overrides';
import { PolicyPanel } from './PolicyPanel';
import '../escalation/escalation.css';

const EMPTY = { name: '', level: '', kind: 'person', role: '', phone: '', email: '', chat: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', days: '', start: '', end: '' };

function OnCallCard({ label, slot }: { readonly label: string; readonly slot: OnCallView['primary'] }) {
  const { t } = useTranslation();
  return (
    <div className="oncall-card" data-testid={`oncall-${label}`}>
      <span className="meta">{t(`contacts.${label}`)}</span>
      <span className="who">{slot ? slot.name : t('contacts.nobody')}</span>
      {slot && <span className="meta">{t('contacts.until', { time: formatDateTime(slot.endsAt) })}</span>}
      {slot?.override && <span className="meta">{t('contacts.override', { reason: slot.override.reason })}</span>}
      {slot?.contact && <span className="meta">{[slot.contact.phone, slot.contact.email, slot.contact.chat].filter(Boolean).join(' · ')}</span>}
    </div>
  );
}

/** Who is on call now, the directory with who is in hours, and adding/importing contacts. */
export function ContactsScreen() {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const now = useNow(30_000);
  const [contacts, setContacts] = useState<readonly Contact[]>([]);
  const [onCall, setOnCall] = useState<OnCallView | undefined>();
  const [form, setForm] = useState(EMPTY);

  const reload = useCallback(async () => {
    try {
      const [list, view] = await Promise.all([api.contacts.list(), api.oncall.now({})]);
      setContacts(list);
      setOnCall(view);
    } catch (error) {
      notify('error', errorMessage(error));
    }
  }, [notify]);
  useEffect(() => {
    void reload();
  }, [reload, now]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const days = form.days.trim() ? parseDays(form.days) : undefined;
    if (form.days.trim() && !days) return notify('error', `${t('contacts.days')}: ${form.days}`);
    const hours = days || form.start || form.end ? { days: days ?? [...WEEKDAYS], start: form.start || '00:00', end: form.end || '24:00' } : null;
    try {
      const saved = await api.contacts.add({
        name: form.name,
        kind: form.kind as ContactKind,
        level: form.level ? (Number(form.level) as 1) : null,
        role: form.role,
        phone: form.phone,
        email: form.email,
        chat: form.chat,
        timeZone: form.timeZone,
        hours,
      });
      notify('info', t('contacts.saved', { name: saved.name }));
      setForm(EMPTY);
      void reload();
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const importFile = async (file: File, what: 'contacts' | 'rotation') => {
    const text = await file.text();
    const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
    try {
      if (what === 'contacts') {
        const result = await api.contacts.import({ format: ext === 'csv' ? 'csv' : 'yaml', text, source: file.name });
        notify('info', t('contacts.imported', { added: result.added, updated: result.updated }));
      } else {
        const result = await api.oncall.import({ format: ext === 'ics' ? 'ics' : 'csv', text, source: file.name });
        notify('info', t('contacts.importedRotation', { shifts: result.shifts }));
      }
      void reload();
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const exportAs = async (format: 'yaml' | 'csv') => {
    const text = await api.contacts.export({ format });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/yaml' }));
    link.download = `firebreak-contacts.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const field = (key: keyof typeof EMPTY, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`contact-${key}`} {...props} />
    </label>
  );

  return (
    <main className="contacts-screen" aria-label={t('contacts.screen')} data-testid="contacts-screen">
      <section>
        <h1>{t('contacts.onCallNow')}</h1>
        <div className="oncall-cards">
          <OnCallCard label="primary" slot={onCall?.primary ?? null} />
          <OnCallCard label="secondary" slot={onCall?.secondary ?? null} />
        </div>
        {onCall?.next && <p className="meta">{t('contacts.next', { time: formatDateTime(onCall.next.at), primary: onCall.next.primary ?? '—', secondary: onCall.next.secondary ?? '—' })}</p>}
        {onCall && !onCall.primary && !onCall.secondary && !onCall.next && <p className="meta">{t('contacts.noRotation')}</p>}
      </section>
      <section>
        <h2>{t('contacts.directory')}</h2>
        <table className="contacts-table" data-testid="contacts-table">
          <thead>
            <tr>
              <th>{t('contacts.level')}</th>
              <th>{t('contacts.name')}</th>
              <th>{t('contacts.hours')}</th>
              <th>{t('contacts.reach')}</th>
              <th>{t('contacts.role')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {contacts.map((c) => {
              const inHours = isInCover(c, now);
              return (
                <tr key={c.id} className={c.placeholder ? 'placeholder' : ''}>
                  <td>{c.level === null ? t('contacts.vendor') : `L${c.level}`}</td>
                  <td>
                    {c.name}
                    {c.placeholder && <div className="meta">{t('contacts.placeholder')}</div>}
                  </td>
                  <td>
                    {c.hours ? `${c.hours.days.join(',')} ${c.hours.start}–${c.hours.end}` : t('contacts.allDay')} <span className="meta">{c.timeZone}</span>
                    <div className={inHours ? 'in-hours' : 'out-of-hours'}>{inHours ? t('contacts.inHours') : t('contacts.outOfHours')}</div>
                  </td>
                  <td>{[c.phone, c.email, c.chat].filter(Boolean).join(' · ') || '—'}</td>
                  <td>{c.role}</td>
                  <td>
                    <button type="button" onClick={() => void api.contacts.remove({ name: c.name }).then(reload, (error: unknown) => notify('error', errorMessage(error)))}>
                      {t('contacts.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{t('contacts.add')}</h2>
        <form className="contact-form" onSubmit={(e) => void save(e)}>
          {field('name', t('contacts.name'), { required: true })}
          <label>
            {t('contacts.level')}
            <select value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value })} data-testid="contact-level">
              <option value="">—</option>
              <option value="1">1</option>
              <option value="2">2</option>
              <option value="3">3</option>
            </select>
          </label>
          <label>
            {t('contacts.kind')}
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              {CONTACT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {field('role', t('contacts.role'))}
          {field('phone', t('contacts.phone'))}
          {field('email', t('contacts.email'), { type: 'email' })}
          {field('chat', t('contacts.chat'))}
          {field('timeZone', t('contacts.timeZone'))}
          {field('days', t('contacts.days'), { placeholder: 'mon-fri' })}
          {field('start', t('contacts.start'), { placeholder: '09:00' })}
          {field('end', t('contacts.end'), { placeholder: '18:00' })}
          <button type="submit" className="primary" data-testid="contact-save">
            {t('contacts.save')}
          </button>
        </form>
      </section>
      <Overrides onChange={() => void reload()} />
      <PolicyPanel />
      <section>
        <h2>{t('contacts.import')}</h2>
        <p className="meta">{t('contacts.importHint')}</p>
        <div className="contact-form">
          <label>
            {t('contacts.importContacts')}
            <input type="file" accept=".yaml,.yml,.csv" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0], 'contacts')} data-testid="import-contacts" />
          </label>
          <label>
            {t('contacts.importRotation')}
            <input type="file" accept=".csv,.ics" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0], 'rotation')} data-testid="import-rotation" />
          </label>
          <button type="button" onClick={() => void exportAs('yaml')}>
            {t('contacts.export')} YAML
          </button>
          <button type="button" onClick={() => void exportAs('csv')}>
            {t('contacts.export')} CSV
          </button>
        </div>
      </section>
    </main>
  );
}
