import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Paper } from '../shared/reports';
import type { PdfRenderer } from './services/reports';
import { EMPTY_HEADER, PDF_MARGINS_MM, footerTemplate, sourceText, type PdfOptions, type PdfSource } from './services/reports/pdf';

// PDF in the Electron app: the report's self-contained HTML printed by a hidden, sandboxed,
// script-less window with webContents.printToPDF, so the app needs no separate browser.
// main.ts passes BrowserWindow in; this module only imports Electron's types.

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindowType;

const inches = (mm: number) => mm / 25.4;

export class ElectronPdfRenderer implements PdfRenderer {
  constructor(private readonly BrowserWindow: WindowCtor) {}

  async render(html: PdfSource, options: PdfOptions): Promise<Buffer> {
    // A file rather than a data: URL: reports with thousands of rows exceed URL length limits.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-pdf-'));
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, sourceText(html), 'utf8');
    const window = new this.BrowserWindow({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true, spellcheck: false },
    });
    try {
      await window.loadFile(file);
      return await window.webContents.printToPDF({
        pageSize: options.paper,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: EMPTY_HEADER,
        footerTemplate: footerTemplate(options.title, options.language),
        margins: { top: inches(PDF_MARGINS_MM.top), bottom: inches(PDF_MARGINS_MM.bottom), left: inches(PDF_MARGINS_MM.left), right: inches(PDF_MARGINS_MM.right) },
      });
    } finally {
      window.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
