import { app, BrowserWindow, safeStorage, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDispatch } from './dispatch';
import { isExternalLink, isMailLink } from './external-links';
import { createHandlers } from './handlers';
import { forwardEvents, registerIpc } from './ipc';
import { createAppSecretStore } from './secret-store-electron';
import { ElectronPdfRenderer } from './pdf-electron';
import { createServices, type Services } from './services';
import { resolveHome } from './services/home';
import { startAutoBackups } from './services/backup';

// The Electron shell around the services: window, security policy, IPC. Everything else
// lives in plain classes under services/ so it can be tested (and served) without Electron.

app.setName('Firebreak');
app.enableSandbox();

const rendererIndex = path.join(__dirname, '../renderer/index.html');
const rendererRoot = pathToFileURL(path.dirname(rendererIndex)).href;
const isTrustedUrl = (url: string) => url.startsWith(`${rendererRoot}/`);

/** In development the Electron-ABI build of better-sqlite3 lives beside node_modules (see scripts/start.mjs). */
function electronNativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const candidate = path.join(app.getAppPath(), '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return fs.existsSync(candidate) ? candidate : undefined;
}

function hardenSessions(): void {
  // Nothing the UI does needs a permission (camera, notifications, geolocation …).
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (isTrustedUrl(url)) return;
    event.preventDefault();
    // A clicked mailto: link (stakeholder updates) navigates rather than opens a window; it goes
    // to the mail client. Web pages are never opened from a navigation, only from a clicked link.
    // electronegativity-ignore: OPEN_EXTERNAL_JS_CHECK — only mailto URLs reach openExternal here (tested in test/electron/main.test.ts).
    if (isMailLink(url)) void shell.openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links the user clicks open in their browser or mail client, and only web and mail links.
    // electronegativity-ignore: OPEN_EXTERNAL_JS_CHECK — only http(s)/mailto URLs reach openExternal (tested in test/electron/main.test.ts).
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function createWindow(services: Services): BrowserWindow {
  const window = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Firebreak',
    backgroundColor: '#0f1419',
    webPreferences: {
      // electronegativity-ignore: PRELOAD_JS_CHECK — our one sandboxed preload exposes only the contract's functions (test/electron/preload.test.ts).
      preload: path.join(__dirname, '../preload/preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows (window.open is denied as well).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  forwardEvents(services.events, window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);
  return window;
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let services: Services;
  let stopBackups: (() => void) | undefined;
  app.whenReady().then(() => {
    hardenSessions();
    const home = process.env.FIREBREAK_HOME ? resolveHome() : app.getPath('userData');
    const nativeBinding = electronNativeBinding();
    const secrets = createAppSecretStore(() => safeStorage, home);
    services = createServices({ home, version: app.getVersion(), secrets, pdf: new ElectronPdfRenderer(BrowserWindow), ...(nativeBinding ? { nativeBinding } : {}) });
    registerIpc(createDispatch(createHandlers(services, 'ipc')), isTrustedUrl);
    services.sla.start();
    services.escalation.start();
    services.team.start();
    stopBackups = startAutoBackups(home, services.clock, services.db);
    void services.monitor.start().catch((error: unknown) => console.error('firebreak: the monitor did not start:', error));
    services.metrics.start();
    // Crash recovery of evidence collections, once, before the first one starts (handlers await it too).
    void services.evidence.ready().catch((error: unknown) => console.error('firebreak: evidence recovery failed:', error));
    let window = createWindow(services);
    app.on('second-instance', () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) window = createWindow(services);
    });
  }, (error: unknown) => {
    console.error('firebreak: failed to start:', error);
    app.exit(1);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    stopBackups?.();
    services?.close();
  });
}

start();
