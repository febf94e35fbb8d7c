import i18next, { type TFunction } from 'i18next';
import { useSyncExternalStore } from 'react';

// react-i18next's useTranslation copies every property of the i18n instance for each
// component that mounts: cheap for a screen, but a virtual list mounts ~20 rows of badges on
// every scrolled frame, and those copies were the largest JS cost of a frame (issue 19).
// Components drawn per row use this instead: the one `t` of the current language, shared.

const listeners = new Set<() => void>();
let listening = false;
const fixed = new Map<string, TFunction>();

function subscribe(listener: () => void): () => void {
  if (!listening) {
    listening = true;
    i18next.on('languageChanged', () => {
      for (const l of listeners) l();
    });
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const language = () => i18next.language;

/** `t` for the current language; the component draws again when the language changes. */
export function useT(): TFunction {
  const lng = useSyncExternalStore(subscribe, language);
  let t = fixed.get(lng);
  if (!t) {
    t = i18next.getFixedT(lng);
    fixed.set(lng, t);
  }
  return t;
}
