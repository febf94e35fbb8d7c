import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProbeConfig, ProbeKind, ProbeResult, ProbeTarget } from '../../../../shared/monitor';
import { assertNever } from '../../../../shared/assert';
import { api, errorMessage } from '../../api';
import { useNow } from '../../hooks';
import { useAppStore } from '../../store/store';
import { fieldErrors } from './field-errors';
import { ageSeconds } from './format';
import { probeErrorText } from './probe-error-text';
import { formatClock } from '../../i18n/dates';

const KINDS: readonly ProbeKind[] = ['neo4j', 'redis', 'http', 'tcp'];

interface Form {
  kind: ProbeKind;
  name: string;
  url: string;
  host: string;
  port: string;
  db: string;
  database: string;
  tls: boolean;
  username: string;
  password: string;
  method: 'GET' | 'HEAD';
  expectText: string;
  expectStatus: string;
  tlsInsecure: boolean;
  timeoutMs: string;
  retries: string;
  intervalS: string;
  enabled: boolean;
}

const DEFAULT_PORT: Record<ProbeKind, string> = { neo4j: '', redis: '6379', http: '', tcp: '' };

function emptyForm(kind: ProbeKind = 'redis'): Form {
  return {
    kind,
    name: '',
    url: kind === 'neo4j' ? 'bolt://127.0.0.1:7687' : kind === 'http' ? 'http://127.0.0.1:8080/health/detailed' : '',
    host: '127.0.0.1',
    port: DEFAULT_PORT[kind],
    db: '0',
    database: '',
    tls: false,
    username: '',
    password: '',
    method: 'GET',
    expectText: '',
    expectStatus: '',
    tlsInsecure: false,
    timeoutMs: '3000',
    retries: '2',
    intervalS: '30',
    enabled: true,
  };
}

function formOf(t: ProbeTarget): Form {
  const f = emptyForm(t.kind);
  const common = { ...f, name: t.name, timeoutMs: String(t.timeoutMs), retries: String(t.retries), intervalS: String(t.intervalMs / 1000), enabled: t.enabled, username: t.username ?? '' };
  switch (t.kind) {
    case 'neo4j':
      return { ...common, url: t.url, database: t.database ?? '' };
    case 'redis':
      return { ...common, host: t.host, port: String(t.port), db: String(t.db), tls: t.tls };
    case 'http':
      return { ...common, url: t.url, method: t.method, expectText: t.expectText ?? '', expectStatus: (t.expectStatus ?? []).join(', '), tlsInsecure: t.tlsInsecure };
    case 'tcp':
      return { ...common, host: t.host, port: String(t.port) };
    default:
      return assertNever(t, 'probe kind');
  }
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** The form as a target for the schema; numbers that do not parse go through as NaN so the boundary names the field. */
function targetOf(f: Form, secretRef: string | undefined): Record<string, unknown> {
  const common = {
    name: f.name.trim(),
    kind: f.kind,
    enabled: f.enabled,
    timeoutMs: num(f.timeoutMs),
    retries: num(f.retries),
    intervalMs: f.intervalS.trim() === '' ? undefined : Math.round(Number(f.intervalS) * 1000),
    ...(f.username.trim() && (f.kind === 'neo4j' || f.kind === 'redis' || f.kind === 'http') ? { username: f.username.trim() } : {}),
    ...(secretRef ? { secretRef } : {}),
  };
  switch (f.kind) {
    case 'neo4j':
      return { ...common, url: f.url.trim(), ...(f.database.trim() ? { database: f.database.trim() } : {}) };
    case 'redis':
      return { ...common, host: f.host.trim(), port: num(f.port), db: num(f.db), tls: f.tls };
    case 'http': {
      const statuses = f.expectStatus.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
      return { ...common, url: f.url.trim(), method: f.method, tlsInsecure: f.tlsInsecure, ...(f.expectText ? { expectText: f.expectText } : {}), ...(statuses.length ? { expectStatus: statuses } : {}) };
    }
    case 'tcp':
      return { ...common, host: f.host.trim(), port: num(f.port) };
    default:
      return assertNever(f.kind, 'probe kind');
  }
}

/** Settings as a file for another machine (no passwords: the export never has them). */
async function exportSettings(): Promise<void> {
  const document = await api.probes.export();
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' }));
  const a = window.document.createElement('a');
  a.href = url;
  a.download = 'firebreak-probes.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

const refFor = (name: string) => `probe.${name.toLowerCase().replace(/[^a-z0-9._:-]+/g, '-').slice(0, 100) || 'target'}`;

function TargetForm({ config, index, secretsSet, onDone }: { config: ProbeConfig; index: number; secretsSet: readonly string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const existing = config.targets[index];
  const [form, setForm] = useState<Form>(() => (existing ? formOf(existing) : emptyForm()));
  const [errors, setErrors] = useState<{ fields: Record<string, string>; other: string[] }>({ fields: {}, other: [] });
  const [busy, setBusy] = useState(false);
  const hasSecret = existing?.secretRef !== undefined && secretsSet.includes(existing.secretRef);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const field = (key: string) => errors.fields[key];

  const save = async (event: FormEvent, forget = false) => {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {}, other: [] });
    try {
      let secretRef = forget ? undefined : existing?.secretRef;
      if (form.password !== '' && !forget) {
        secretRef ??= refFor(form.name);
        await api.probes.setSecret({ ref: secretRef, value: form.password });
      }
      if (forget && existing?.secretRef) await api.probes.deleteSecret({ ref: existing.secretRef });
      const targets = [...config.targets] as unknown[];
      targets[index] = targetOf(form, secretRef);
      useAppStore.getState().setProbes(await api.probes.setConfig({ config: { ...config, targets } as never }));
      setForm((f) => ({ ...f, password: '' }));
      onDone();
    } catch (error) {
      setErrors(fieldErrors(error, `config.targets.${index}`));
    } finally {
      setBusy(false);
    }
  };

  const input = (key: keyof Form, label: string, props: Record<string, unknown> = {}) => (
    <label className={field(key === 'intervalS' ? 'intervalMs' : key) ? 'invalid' : undefined}>
      {label}
      <input value={String(form[key])} onChange={(e) => set(key, e.target.value as never)} name={key} {...props} />
      {field(key === 'intervalS' ? 'intervalMs' : key) && <span className="field-error">{field(key === 'intervalS' ? 'intervalMs' : key)}</span>}
    </label>
  );

  return (
    <form className="probe-form" onSubmit={(e) => void save(e)} aria-label={existing ? t('monitor.probes.form.titleEdit', { name: existing.name }) : t('monitor.probes.form.titleNew')} data-testid="probe-form">
      <h3>{existing ? t('monitor.probes.form.titleEdit', { name: existing.name }) : t('monitor.probes.form.titleNew')}</h3>
      <div className="form-grid">
        <label>
          {t('monitor.probes.kind')}
          <select value={form.kind} onChange={(e) => setForm({ ...emptyForm(e.target.value as ProbeKind), name: form.name })} name="kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        {input('name', t('monitor.probes.name'), { required: true, maxLength: 64 })}
        {(form.kind === 'neo4j' || form.kind === 'http') && input('url', t('monitor.probes.form.url'), { className: 'wide' })}
        {(form.kind === 'redis' || form.kind === 'tcp') && input('host', t('monitor.probes.form.host'))}
        {(form.kind === 'redis' || form.kind === 'tcp') && input('port', t('monitor.probes.form.port'), { inputMode: 'numeric' })}
        {form.kind === 'redis' && input('db', t('monitor.probes.form.db'), { inputMode: 'numeric' })}
        {form.kind === 'neo4j' && input('database', t('monitor.probes.form.database'))}
        {form.kind === 'http' && input('expectText', t('monitor.probes.form.expectText'))}
        {form.kind === 'http' && input('expectStatus', t('monitor.probes.form.expectStatus'))}
        {form.kind !== 'tcp' && input('username', t('monitor.probes.form.username'), { autoComplete: 'off' })}
        {form.kind !== 'tcp' && (
          <label>
            {t('monitor.probes.form.password')}
            <input
              type="password"
              value={form.password}
              onChange={(e) => set('password', e.target.value)}
              autoComplete="new-password"
              placeholder={hasSecret ? t('monitor.probes.form.passwordSet') : t('monitor.probes.form.passwordNone')}
              data-testid="probe-password"
            />
          </label>
        )}
        {input('timeoutMs', t('monitor.probes.form.timeoutMs'), { inputMode: 'numeric' })}
        {input('retries', t('monitor.probes.form.retries'), { inputMode: 'numeric' })}
        {input('intervalS', t('monitor.probes.form.intervalS'), { inputMode: 'numeric' })}
        <div className="checks">
          {form.kind === 'redis' && (
            <label className="check">
              <input type="checkbox" checked={form.tls} onChange={(e) => set('tls', e.target.checked)} /> {t('monitor.probes.form.tls')}
            </label>
          )}
          {form.kind === 'http' && (
            <label className="check">
              <input type="checkbox" checked={form.tlsInsecure} onChange={(e) => set('tlsInsecure', e.target.checked)} /> {t('monitor.probes.form.tlsInsecure')}
            </label>
          )}
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {t('monitor.probes.form.enabled')}
          </label>
        </div>
      </div>
      <p className="muted small">{t('monitor.probes.form.secretNote')}</p>
      {errors.other.length > 0 && (
        <p className="error-text" role="alert">
          {errors.other.join('; ')}
        </p>
      )}
      <div className="dialog-actions">
        {hasSecret && (
          <button type="button" onClick={(e) => void save(e, true)} disabled={busy}>
            {t('monitor.probes.form.forgetPassword')}
          </button>
        )}
        <button type="button" onClick={onDone}>
          {t('actions.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="probe-save">
          {t('monitor.probes.form.save')}
        </button>
      </div>
    </form>
  );
}

function ResultCells({ result, now }: { result: ProbeResult | undefined; now: number }) {
  const { t } = useTranslation();
  if (!result) {
    return (
      <>
        <td>
          <span className="pill">{t('monitor.probes.never')}</span>
        </td>
        <td colSpan={4} />
      </>
    );
  }
  return (
    <>
      <td>
        <span className={`pill probe-${result.state}`} data-testid={`probe-state-${result.name}`}>
          {t(`monitor.probes.states.${result.state}`)}
        </span>
      </td>
      <td className="num">{result.latencyMs === null ? '—' : `${result.latencyMs} ms`}</td>
      <td>
        <BreakerState result={result} />
      </td>
      <td className="probe-note">{result.error !== null ? probeErrorText(result.error, t) : result.reasons.map((r) => probeErrorText(r, t)).join('; ')}</td>
      <td className="muted small">{ageSeconds(Date.parse(result.at), now)}</td>
    </>
  );
}

export function Probes() {
  const { t } = useTranslation();
  const probes = useAppStore((s) => s.probes);
  const notify = useAppStore((s) => s.notify);
  const [editing, setEditing] = useState<number>();
  const [running, setRunning] = useState(false);
  const now = useNow(5000);
  if (!probes) return null;
  const { config, results, secretsSet } = probes;

  const run = async (name?: string) => {
    setRunning(true);
    try {
      for (const r of await api.probes.run(name === undefined ? {} : { name })) useAppStore.getState().setProbeResult(r);
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setRunning(false);
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const document = JSON.parse(await file.text()) as unknown;
      if (!document || typeof document !== 'object' || Array.isArray(document)) throw new Error(t('monitor.probes.importNotObject'));
      const { view, stripped } = await api.probes.import({ document: document as Record<string, unknown> });
      useAppStore.getState().setProbes(view);
      notify('info', stripped.length ? t('monitor.probes.importedStripped', { count: view.config.targets.length, fields: stripped.join(', ') }) : t('monitor.probes.imported', { count: view.config.targets.length }));
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  const remove = async (index: number) => {
    const target = config.targets[index]!;
    if (!window.confirm(t('monitor.probes.removeConfirm', { name: target.name }))) return;
    try {
      if (target.secretRef) await api.probes.deleteSecret({ ref: target.secretRef });
      useAppStore.getState().setProbes(await api.probes.setConfig({ config: { ...config, targets: config.targets.filter((_, i) => i !== index) } as never }));
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  return (
    <div className="probes" data-testid="probes">
      <div className="toolbar">
        <button type="button" onClick={() => setEditing(config.targets.length)} data-testid="probe-add">
          {t('monitor.probes.add')}
        </button>
        <button type="button" onClick={() => void run()} disabled={running || config.targets.length === 0} data-testid="probe-run-all">
          {t('monitor.probes.runAll')}
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => void exportSettings().catch((error: unknown) => notify('error', errorMessage(error)))} title={t('monitor.probes.exportHint')}>
          {t('monitor.probes.export')}
        </button>
        <label className="file-button" title={t('monitor.probes.importHint')}>
          {t('monitor.probes.import')}
          <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.target.files?.[0]).finally(() => (e.target.value = ''))} data-testid="probe-import" />
        </label>
      </div>
      {config.targets.length === 0 && editing === undefined && <p className="muted">{t('monitor.probes.empty')}</p>}
      {config.targets.length > 0 && (
        <table className="probe-table">
          <thead>
            <tr>
              <th>{t('monitor.probes.name')}</th>
              <th>{t('monitor.probes.kind')}</th>
              <th>{t('monitor.probes.target')}</th>
              <th>{t('monitor.probes.state')}</th>
              <th className="num">{t('monitor.probes.latency')}</th>
              <th>{t('monitor.probes.breaker')}</th>
              <th>{t('monitor.probes.lastError')}</th>
              <th>{t('monitor.probes.lastRun')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {config.targets.map((target, index) => {
              const result = results.find((r) => r.name === target.name);
              return (
                <tr key={target.name} data-testid={`probe-row-${target.name}`} className={target.enabled ? undefined : 'disabled'}>
                  <td>
                    <strong>{target.name}</strong>
                    {!target.enabled && <span className="muted small"> ({t('monitor.probes.disabled')})</span>}
                  </td>
                  <td>{target.kind}</td>
                  <td className="mono small">{result?.target ?? ('url' in target ? target.url : `${target.host}:${target.port}`)}</td>
                  <ResultCells result={result} now={now} />
                  <td className="row-actions">
                    <button type="button" onClick={() => void run(target.name)} disabled={running}>
                      {t('monitor.probes.run')}
                    </button>
                    <button type="button" onClick={() => setEditing(index)}>
                      {t('monitor.probes.edit')}
                    </button>
                    <button type="button" onClick={() => void remove(index)}>
                      {t('monitor.probes.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {editing !== undefined && <TargetForm key={editing} config={config} index={editing} secretsSet={secretsSet} onDone={() => setEditing(undefined)} />}
    </div>
  );
}

/**
 * What the circuit breaker means for the operator, not its jargon: calls pass (closed),
 * calls paused until a time (open), one trial call (half-open).
 */
export function BreakerState({ result }: { readonly result: Pick<ProbeResult, 'breaker' | 'breakerRetryAt'> }) {
  const { t } = useTranslation();
  const retryAt = result.breakerRetryAt ? formatClock(result.breakerRetryAt) : null;
  const text =
    result.breaker === 'open' && retryAt === null ? t('monitor.probes.breakers.openSoon') : t(`monitor.probes.breakers.${result.breaker}`, { time: retryAt ?? '' });
  return (
    <span className={`breaker breaker-${result.breaker}`} data-testid="breaker-state">
      {text}
    </span>
  );
}
