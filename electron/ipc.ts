import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAMES } from '../shared/contract';
import type { Dispatch } from './dispatch';
import type { EventBus } from './services/events';

/**
 * Registers every contract channel through one wrapper: the sender frame must be our own
 * top-level app page, then the shared dispatch validates, calls and wraps the result.
 */
export function registerIpc(dispatch: Dispatch, isTrustedUrl: (url: string) => boolean): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
        return { ok: false, error: { code: 'forbidden', message: `${channel}: refused a call from an untrusted frame` } };
      }
      return dispatch(channel, input);
    });
  }
  return () => {
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}

/** Forwards main-side events to a window for as long as it lives. */
export function forwardEvents(events: EventBus, contents: WebContents): () => void {
  const unsubscribe = events.onAny((event, payload) => {
    if (!contents.isDestroyed()) contents.send(event, payload);
  });
  contents.once('destroyed', unsubscribe);
  return unsubscribe;
}
