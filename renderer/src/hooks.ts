import { useEffect, useState } from 'react';

/** Re-renders every `intervalMs` so running clocks tick. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Single-key shortcuts (N, /) that never fire while the user is typing. */
export function useShortcut(key: string, handler: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== key || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, handler]);
}

/** `#/incidents/12` ↔ selected incident, so a reload returns to the same screen. */
export function readHashSelection(): number | undefined {
  const match = /^#\/incidents\/(\d+)$/.exec(location.hash);
  return match ? Number(match[1]) : undefined;
}

export function writeHashSelection(id: number | undefined): void {
  const hash = id === undefined ? '#/' : `#/incidents/${id}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}
