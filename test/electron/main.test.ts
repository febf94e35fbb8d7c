import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempHome } from '../support/temp-home';

const home = tempHome();

const electron = vi.hoisted(() => {
  const appHandlers = new Map<string, (...args: unknown[]) => void>();
  const windows: { options: Record<string, any>; loaded?: string }[] = [];
  const contentsHandlers = new Map<string, (...args: any[]) => void>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const fakeContents = {
    on: (event: string, fn: (...args: any[]) => void) => contentsHandlers.set(event, fn),
    once: vi.fn(),
    setWindowOpenHandler: (fn: typeof windowOpenHandler) => (windowOpenHandler = fn),
    isDestroyed: () => false,
    send: vi.fn(),
  };
  class BrowserWindow {
    webContents = fakeContents;
    constructor(readonly options: Record<string, any>) {
      windows.push(this as never);
    }
    once() {}
    loadFile(file: string) {
      (this as any).loaded = file;
      return Promise.resolve();
    }
    static getAllWindows = () => windows;
  }
  let permissionHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | undefined;
  return {
    appHandlers,
    windows,
    contentsHandlers,
    fakeContents,
    getWindowOpenHandler: () => windowOpenHandler,
    getPermissionHandler: () => permissionHandler,
    userData: '',
    module: {
      app: {
        setName: vi.fn(),
        enableSandbox: vi.fn(),
        requestSingleInstanceLock: () => true,
        whenReady: () => Promise.resolve(),
        on: (event: string, fn: (...args: unknown[]) => void) => appHandlers.set(event, fn),
        getPath: () => electron.userData,
        getVersion: () => '0.1.0',
        getAppPath: () => '/nonexistent',
        isPackaged: false,
        quit: vi.fn(),
        exit: vi.fn(),
      },
      BrowserWindow,
      session: {
        defaultSession: {
          setPermissionRequestHandler: (fn: typeof permissionHandler) => (permissionHandler = fn),
          setPermissionCheckHandler: vi.fn(),
        },
      },
      shell: { openExternal: vi.fn(async () => undefined) },
      ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    },
  };
});
vi.mock('electron', () => electron.module);

electron.userData = home.dir;
delete process.env.FIREBREAK_HOME;
await import('../../electron/main');
await new Promise((resolve) => setTimeout(resolve, 50));
electron.appHandlers.get('web-contents-created')!({}, electron.fakeContents);

afterAll(() => {
  electron.appHandlers.get('will-quit')?.();
  home.cleanup();
});

describe('Electron main process security', () => {
  it('turns the sandbox on for every renderer', () => {
    expect(electron.module.app.enableSandbox).toHaveBeenCalled();
  });

  it('opens one window with isolation, sandbox and no Node', () => {
    expect(electron.windows).toHaveLength(1);
    const prefs = electron.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs.preload).toMatch(/preload[/\\]preload\.js$/);
  });

  it('registers every contract channel over IPC', async () => {
    const { CHANNEL_NAMES } = await import('../../shared/contract');
    expect(electron.module.ipcMain.handle.mock.calls.map((c) => c[0]).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('denies navigation away from the app', () => {
    const prevent = vi.fn();
    electron.contentsHandlers.get('will-navigate')!({ preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalledTimes(1);
    const page = electron.windows[0]!.loaded!;
    electron.contentsHandlers.get('will-navigate')!({ preventDefault: prevent }, `file://${page}#/incidents/1`);
    expect(prevent).toHaveBeenCalledTimes(1);
    electron.contentsHandlers.get('will-attach-webview')!({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalledTimes(2);
  });

  it('denies window.open, handing only http(s) and mailto links to the browser or mail client', () => {
    electron.module.shell.openExternal.mockClear();
    const handler = electron.getWindowOpenHandler()!;
    const mail = 'mailto:ops%40example.com?subject=Update&body=Status%3A%20mitigated';
    expect(handler({ url: 'https://status.example.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: mail })).toEqual({ action: 'deny' });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'data:text/html,x', 'tel:+81312345678', 'ms-settings:x', 'https://user:pw@evil.example/', 'not a url']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.module.shell.openExternal.mock.calls).toEqual([['https://status.example.com/'], [mail]]);
  });

  it('hands a clicked mailto: link (a navigation) to the mail client and nothing else', () => {
    electron.module.shell.openExternal.mockClear();
    const navigate = electron.contentsHandlers.get('will-navigate')!;
    const mail = 'mailto:ops@example.com,lead@example.com?subject=%5BP0%5D%20update&body=x';
    for (const url of [mail, 'https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x']) {
      const prevent = vi.fn();
      navigate({ preventDefault: prevent }, url);
      expect(prevent, url).toHaveBeenCalledTimes(1);
    }
    expect(electron.module.shell.openExternal.mock.calls).toEqual([[mail]]);
  });

  it('refuses permission requests the console has no use for', () => {
    const answers: Record<string, boolean> = {};
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-sanitized-write']) {
      electron.getPermissionHandler()!({}, permission, (ok) => (answers[permission] = ok));
    }
    expect(answers).toEqual({ media: false, geolocation: false, notifications: false, openExternal: false, 'clipboard-sanitized-write': true });
  });
});
