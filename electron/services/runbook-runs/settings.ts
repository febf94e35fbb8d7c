import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// The user's runbook folders, in a small JSON file in the profile (read by the app, the
// browser host and `firebreak runbook lint|list` alike).

const fileSchema = z.object({ folders: z.array(z.string()).default([]) });

export class RunbookSettingsStore {
  readonly file: string;

  constructor(home: string) {
    this.file = path.join(home, 'settings', 'runbooks.json');
  }

  folders(): string[] {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.folders : [];
    } catch {
      return []; // missing or unreadable: no user folders
    }
  }

  setFolders(folders: readonly string[]): string[] {
    const unique = [...new Set(folders.map((f) => path.resolve(f)))];
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify({ folders: unique }, null, 2)}\n`);
    fs.renameSync(temp, this.file);
    return unique;
  }
}
