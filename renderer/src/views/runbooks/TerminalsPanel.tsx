import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TerminalInfo } from '../../../../shared/terminals';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { attachSession, disposeSession, fitSession, getSession } from './term-sessions';

const NONE: readonly TerminalInfo[] = [];
const NO_TARGETS: readonly string[] = [];

/** Opens a terminal in the incident folder sized for the panel; the Run buttons use it too. */
export async function openTerminal(incidentId: number, target?: string): Promise<TerminalInfo> {
  const info = await api.terminals.create({ incidentId, cols: 100, rows: 28, ...(target ? { target } : {}) });
  getSession(info.id);
  useAppStore.getState().addTerminal(info);
  return info;
}

/**
 * The running terminal the Run buttons send to, on `where` (LOCAL_TARGET or a target name):
 * the selected one if it is there, else any there, else a new one there.
 */
export async function terminalForRun(incidentId: number, where: string = LOCAL_TARGET): Promise<string> {
  const state = useAppStore.getState();
  const list = (state.terminals[incidentId] ?? []).filter((t) => t.running && !state.terminalExits[t.id] && (t.host ?? LOCAL_TARGET) === where);
  const active = list.find((t) => t.id === state.activeTerminal[incidentId]) ?? list[0];
  if (active) {
    state.setActiveTerminal(incidentId, active.id);
    return active.id;
  }
  const opened = await openTerminal(incidentId, where === LOCAL_TARGET ? undefined : where);
  state.setActiveTerminal(incidentId, opened.id);
  return opened.id;
}

function TerminalView({ id }: { readonly id: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const session = getSession(id);
    attachSession(session, container);
    session.term.focus();
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fitSession(session));
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [id]);
  return <div className="term-view" ref={ref} data-testid="terminal-view" />;
}

export function TerminalsPanel({ incidentId, readOnly }: { readonly incidentId: number; readonly readOnly: boolean }) {
  const { t } = useTranslation();
  const terminals = useAppStore((s) => s.terminals[incidentId] ?? NONE);
  const exits = useAppStore((s) => s.terminalExits);
  const activeId = useAppStore((s) => s.activeTerminal[incidentId]);
  const setActive = useAppStore((s) => s.setActiveTerminal);
  const forget = useAppStore((s) => s.forgetTerminal);
  const notify = useAppStore((s) => s.notify);
  const targets = useAppStore((s) => s.incidentTargets[incidentId] ?? NO_TARGETS);
  const loadTargets = useAppStore((s) => s.loadIncidentTargets);
  useEffect(() => void loadTargets(incidentId), [incidentId, loadTargets]);
  const active = terminals.find((x) => x.id === activeId) ?? terminals[0];
  const exit = active ? exits[active.id] : undefined;

  const create = async (target?: string) => {
    try {
      await openTerminal(incidentId, target);
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  const kill = async (id: string) => {
    try {
      await api.terminals.kill({ id });
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  const close = (id: string) => {
    disposeSession(id);
    forget(incidentId, id);
  };

  return (
    <section className="terminals" aria-label={t('terminals.title')}>
      <header className="terminals-head">
        <div className="term-tabs" role="tablist">
          {terminals.map((term, i) => (
            <button
              key={term.id}
              type="button"
              role="tab"
              aria-selected={term.id === active?.id}
              className={`term-tab${term.id === active?.id ? ' on' : ''}${exits[term.id] ? ' ended' : ''}`}
              onClick={() => setActive(incidentId, term.id)}
              data-testid={`terminal-tab-${i + 1}`}
            >
              {term.host ? `${term.host} · ${t('terminals.label', { n: i + 1 })}` : t('terminals.label', { n: i + 1 })}
            </button>
          ))}
        </div>
        <button type="button" onClick={() => void create()} disabled={readOnly} data-testid="terminal-new">
          {t('terminals.new')}
        </button>
        {targets.map((name) => (
          <button key={name} type="button" onClick={() => void create(name)} disabled={readOnly} data-testid={`terminal-on-${name}`}>
            {t('targets.terminalOn', { name })}
          </button>
        ))}
        {active && !exit && (
          <button type="button" className="danger-button" onClick={() => void kill(active.id)} data-testid="terminal-kill">
            {t('terminals.kill')}
          </button>
        )}
        {active && exit && (
          <button type="button" onClick={() => close(active.id)}>
            {t('terminals.close')}
          </button>
        )}
      </header>
      {active ? (
        <>
          <TerminalView key={active.id} id={active.id} />
          <footer className="terminals-foot small muted">
            {exit ? (
              <span className="error-text" data-testid="terminal-ended">
                {t('terminals.exited', { reason: t(`terminals.reason.${exit.reason}`), code: exit.exitCode })}
              </span>
            ) : (
              <span>
                {active.host ? `${active.host} · ` : ''}
                {active.shell} · {active.cwd}
              </span>
            )}
            <span>{t('terminals.copyHint')}</span>
          </footer>
        </>
      ) : (
        <p className="muted empty">{t('terminals.none')}</p>
      )}
    </section>
  );
}
