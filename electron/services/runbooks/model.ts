// The runbook model moved to shared/runbooks.ts so the renderer can use the same types
// without importing electron/. Re-exported here for the service's own modules.
export * from '../../../shared/runbooks';
