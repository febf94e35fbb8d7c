import fs from 'node:fs';
import type { Paper } from '../../../shared/reports';
import { ServiceError } from '../errors';

// PDF output behind one small interface: the Electron app prints with webContents.printToPDF
// (electron/pdf-electron.ts), the CLI and the browser host with the installed Chromium through
// playwright-core. Both get the same self-contained HTML and the same footer.

/** The document, or a function that builds it: called once the printer is starting, so building overlaps its start-up. */
export type PdfSource = string | (() => string);

export interface PdfOptions {
  readonly paper: Paper;
  readonly title: string;
  /** The report's language, for the page footer ("Page 1 of 3" or "1 / 3 ページ"). */
  readonly language?: string;
}

export interface PdfRenderer {
  /** Prints a self-contained HTML document; resolves with the PDF bytes. */
  render(html: PdfSource, options: PdfOptions): Promise<Buffer>;
}

export const sourceText = (html: PdfSource): string => (typeof html === 'string' ? html : html());

/** Chromium's header/footer templates: page numbers (and the title) at the foot of every page. */
export function footerTemplate(title: string, language = 'en'): string {
  const safe = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const pages =
    language === 'ja'
      ? '<span class="pageNumber"></span> / <span class="totalPages"></span> ページ'
      : 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>';
  return `<div style="font-size:8px;font-family:sans-serif;color:#555;width:100%;padding:0 14mm;display:flex;justify-content:space-between"><span>${safe}</span><span>${pages}</span></div>`;
}
export const EMPTY_HEADER = '<span></span>';
export const PDF_MARGINS_MM = { top: 14, bottom: 18, left: 14, right: 14 } as const;

export const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/** Headless Chromium, launched for each PDF (a report is a rare, one-click action). */
export class ChromiumPdfRenderer implements PdfRenderer {
  constructor(private readonly executablePath: () => string | undefined = findChromium) {}

  async render(html: PdfSource, options: PdfOptions): Promise<Buffer> {
    const executablePath = this.executablePath();
    if (!executablePath) {
      throw new ServiceError('conflict', 'PDF needs Chromium, which was not found: install it (apt-get install chromium) or set CHROMIUM_PATH; Markdown and HTML work without it');
    }
    // Loaded on demand and never bundled: playwright-core is a development dependency the
    // CLI and browser host find in node_modules; the Electron app prints with its own renderer.
    const specifier = 'playwright-core';
    const { chromium } = (await import(/* @vite-ignore */ specifier)) as typeof import('playwright-core');
    // Chromium starts (≈0.5 s) while the report is built on this thread.
    const launching = chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    let document: string;
    try {
      document = sourceText(html);
    } catch (error) {
      await launching.then((b) => b.close(), () => undefined);
      throw error;
    }
    const browser = await launching;
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      // Nothing may leave the machine while printing, whatever the document says.
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(document, { waitUntil: 'load' });
      const mm = (n: number) => `${n}mm`;
      return await page.pdf({
        format: options.paper,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: EMPTY_HEADER,
        footerTemplate: footerTemplate(options.title, options.language),
        margin: { top: mm(PDF_MARGINS_MM.top), bottom: mm(PDF_MARGINS_MM.bottom), left: mm(PDF_MARGINS_MM.left), right: mm(PDF_MARGINS_MM.right) },
      });
    } finally {
      await browser.close();
    }
  }
}
