import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElectronPdfRenderer } from '../../electron/pdf-electron';

describe('ElectronPdfRenderer', () => {
  it('prints the HTML from a hidden, script-less window with page numbers, then cleans up', async () => {
    const seen: { options?: any; file?: string; html?: string; pdf?: any; destroyed?: boolean } = {};
    class FakeWindow {
      webContents = {
        printToPDF: async (pdf: unknown) => {
          seen.pdf = pdf;
          return Buffer.from('%PDF-1.7 fake');
        },
      };
      constructor(options: unknown) {
        seen.options = options;
      }
      async loadFile(file: string) {
        seen.file = file;
        seen.html = fs.readFileSync(file, 'utf8');
      }
      destroy() {
        seen.destroyed = true;
      }
    }
    const bytes = await new ElectronPdfRenderer(FakeWindow as never).render('<p>hi</p>', { paper: 'Letter', title: 'INC-0001 <x>' });
    expect(bytes.toString()).toContain('%PDF');
    expect(seen.options).toMatchObject({ show: false, webPreferences: { sandbox: true, javascript: false, nodeIntegration: false } });
    expect(seen.html).toBe('<p>hi</p>');
    expect(seen.pdf).toMatchObject({ pageSize: 'Letter', displayHeaderFooter: true, printBackground: true });
    expect(seen.pdf.footerTemplate).toContain('class="pageNumber"');
    expect(seen.pdf.footerTemplate).not.toContain('<x>');
    expect(seen.destroyed).toBe(true);
    expect(fs.existsSync(seen.file!)).toBe(false);
  });
});
