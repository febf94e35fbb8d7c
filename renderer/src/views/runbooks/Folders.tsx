import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunbookSettings } from '../../../../shared/runbook-runs';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';

/**
 * The team's own runbook folders (any Markdown runbooks, as they are). Saved in the profile
 * and loaded beside the bundled runbooks; `onChanged` re-reads the lists that show them.
 */
export function RunbookFolders({ onChanged }: { readonly onChanged: () => void }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const [settings, setSettings] = useState<RunbookSettings>();
  const [folder, setFolder] = useState('');

  useEffect(() => {
    api.runbooks.settings().then(setSettings, (error: unknown) => notify('error', errorMessage(error)));
  }, [notify]);

  const save = async (folders: readonly string[]) => {
    try {
      setSettings(await api.runbooks.setFolders({ folders: [...folders] }));
      setFolder('');
      onChanged();
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const folders = settings?.folders ?? [];
  return (
    <details className="runbook-folders" data-testid="runbook-folders">
      <summary>{t('runbooks.folders', { count: folders.length })}</summary>
      <p className="muted small">{t('runbooks.foldersHint')}</p>
      {folders.length > 0 && (
        <ul>
          {folders.map((f) => (
            <li key={f}>
              <code>{f}</code>
              <button type="button" className="copy-button" onClick={() => void save(folders.filter((x) => x !== f))}>
                {t('runbooks.folderRemove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (folder.trim() !== '') void save([...folders, folder.trim()]);
        }}
      >
        <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/srv/runbooks" aria-label={t('runbooks.folderPath')} data-testid="runbook-folder-path" />
        <button type="submit" disabled={folder.trim() === ''} data-testid="runbook-folder-add">
          {t('runbooks.folderAdd')}
        </button>
      </form>
    </details>
  );
}
