import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BagExportResult, BagFormat, IntegrityFailure, VerificationReport } from '../../../../shared/evidence';
import { BAG_FORMATS } from '../../../../shared/evidence';
import { api, errorMessage } from '../../api';
import { formatBytes } from '../system/format';

function Failures({ failures }: { readonly failures: readonly IntegrityFailure[] }) {
  return (
    <ul className="failures small" data-testid="verify-failures">
      {failures.slice(0, 50).map((f, i) => (
        <li key={i}>
          <code>{f.file}</code> — {f.message}
        </li>
      ))}
    </ul>
  );
}

function VerifyResult({ report, okText, testId }: { readonly report: VerificationReport; readonly okText: string; readonly testId: string }) {
  const { t } = useTranslation();
  return (
    <div className={report.ok ? 'verify-result ok' : 'verify-result bad'} role="status" data-testid={testId} data-ok={report.ok}>
      <strong>{report.ok ? `✓ ${okText}` : `✗ ${t('evidence.verify.failed', { count: report.failures.length })}`}</strong>
      {!report.ok && <Failures failures={report.failures} />}
    </div>
  );
}

/** Verify the live store; export a BagIt bag and verify that bag. */
export function ExportVerify({ incidentId, hasEvidence }: { readonly incidentId: number; readonly hasEvidence: boolean }) {
  const { t } = useTranslation();
  const [verifying, setVerifying] = useState(false);
  const [store, setStore] = useState<VerificationReport>();
  const [format, setFormat] = useState<BagFormat>('dir');
  const [path, setPath] = useState('');
  const [touched, setTouched] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<BagExportResult>();
  const [bag, setBag] = useState<VerificationReport>();
  const [error, setError] = useState<string>();
  const [includeRetracted, setIncludeRetracted] = useState(false);

  // A fresh default after each export too, since the bag writer never overwrites.
  useEffect(() => {
    if (touched) return;
    api.evidence.defaultExportPath({ incidentId, format }).then(setPath, () => undefined);
  }, [incidentId, format, touched, exported]);

  const verifyStore = async () => {
    setVerifying(true);
    try {
      setStore(await api.evidence.verifyStore({ incidentId }));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setVerifying(false);
    }
  };

  const doExport = async () => {
    setExporting(true);
    setBag(undefined);
    try {
      setExported(await api.evidence.export({ incidentId, out: path.trim(), format, ...(includeRetracted ? { includeRetracted } : {}) }));
      setTouched(false);
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const verifyBag = async (target: string) => {
    try {
      setBag(await api.evidence.verifyBag({ path: target }));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="evidence-integrity">
      <div className="verify-box">
        <button type="button" onClick={() => void verifyStore()} disabled={verifying || !hasEvidence} data-testid="evidence-verify">
          {verifying ? t('evidence.verify.running') : t('evidence.verify.button')}
        </button>
        {store && <VerifyResult report={store} okText={t('evidence.verify.ok', { files: store.filesChecked, bytes: formatBytes(store.bytesChecked) })} testId="evidence-verify-result" />}
      </div>
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void doExport();
        }}
      >
        <strong className="export-title">{t('evidence.export.title')}</strong>
        <label>
          {t('evidence.export.format')}
          <select value={format} onChange={(e) => setFormat(e.target.value as BagFormat)} data-testid="export-format">
            {BAG_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`evidence.export.formats.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="grow" title={t('evidence.export.pathHint')}>
          {t('evidence.export.path')}
          <input
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
              setTouched(true);
            }}
            spellCheck={false}
            data-testid="export-path"
          />
        </label>
        <label className="check" title={t('evidence.export.includeRetractedHint')}>
          <input type="checkbox" checked={includeRetracted} onChange={(e) => setIncludeRetracted(e.target.checked)} data-testid="export-include-retracted" />
          {t('evidence.export.includeRetracted')}
        </label>
        <button type="submit" className="primary" disabled={exporting || path.trim() === ''} data-testid="export-submit">
          {exporting ? t('evidence.export.running') : t('evidence.export.button')}
        </button>
      </form>
      {exported && (
        <div className="export-result small" data-testid="export-result">
          <p className="ok-text">{t('evidence.export.done', { files: exported.files, bytes: formatBytes(exported.bytes), path: exported.path })}</p>
          <p>
            {t('evidence.export.tagManifest')} <code data-testid="export-tag-hash">{exported.tagManifestSha256}</code>
            <span className="muted"> · {t('evidence.export.oxum', { oxum: exported.payloadOxum })}</span>
          </p>
          {exported.warnings.length > 0 && (
            <div className="error-text">
              {t('evidence.export.warnings', { count: exported.warnings.length })}
              <Failures failures={exported.warnings} />
            </div>
          )}
          <button type="button" onClick={() => void verifyBag(exported.path)} data-testid="export-verify">
            {t('evidence.export.verifyBag')}
          </button>
          {bag && <VerifyResult report={bag} okText={t('evidence.export.bagOk', { files: bag.filesChecked, bytes: formatBytes(bag.bytesChecked) })} testId="bag-verify-result" />}
        </div>
      )}
      {error && (
        <p className="error-text small" role="alert" data-testid="evidence-error">
          {error}
        </p>
      )}
    </div>
  );
}
