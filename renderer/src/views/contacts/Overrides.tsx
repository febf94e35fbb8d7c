import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ONCALL_ROLES, type OnCallOverride, type OnCallRole } from '../../../../shared/escalation';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { formatDateTime } from '../escalation/time';

/** `datetime-local` value (the laptop's wall time) → ISO with offset, as the contract wants. */
function toIso(local: string): string {
  return new Date(local).toISOString();
}

/** Swaps and holidays: who covers a role for a window, whatever the rotation says. */
export function Overrides({ onChange }: { readonly onChange: () => void }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const [list, setList] = useState<readonly OnCallOverride[]>([]);
  const [form, setForm] = useState({ role: 'primary' as OnCallRole, name: '', from: '', to: '', reason: '' });

  const reload = useCallback(() => api.oncall.overrides().then(setList, (error: unknown) => notify('error', errorMessage(error))), [notify]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.oncall.addOverride({ role: form.role, name: form.name, startsAt: toIso(form.from), endsAt: toIso(form.to), reason: form.reason });
      setForm({ ...form, name: '', reason: '' });
      await reload();
      onChange();
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  const remove = async (id: number) => {
    try {
      await api.oncall.removeOverride({ id });
      await reload();
      onChange();
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  return (
    <section>
      <h2>{t('contacts.overrides')}</h2>
      {list.length === 0 && <p className="meta">{t('contacts.noOverrides')}</p>}
      <ul className="override-list" data-testid="override-list">
        {list.map((o) => (
          <li key={o.id}>
            {t(`contacts.${o.role}`)}: <strong>{o.name}</strong> {formatDateTime(o.startsAt)} – {formatDateTime(o.endsAt)} <span className="meta">({o.reason})</span>{' '}
            <button type="button" onClick={() => void remove(o.id)}>
              {t('contacts.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form className="contact-form" onSubmit={(e) => void add(e)}>
        <label>
          {t('contacts.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as OnCallRole })}>
            {ONCALL_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`contacts.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('contacts.name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required data-testid="override-name" />
        </label>
        <label>
          {t('contacts.start')}
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} required data-testid="override-from" />
        </label>
        <label>
          {t('contacts.end')}
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} required data-testid="override-to" />
        </label>
        <label>
          {t('contacts.overrideReason')}
          <input value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} required data-testid="override-reason" />
        </label>
        <button type="submit" data-testid="override-add">
          {t('contacts.addOverride')}
        </button>
      </form>
    </section>
  );
}
