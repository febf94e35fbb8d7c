export { DeviceChain, deviceEntryHash, SIGN_CHUNK, type DeviceBody, type DeviceChainFailure, type DeviceInfo, type DeviceState, type DeviceVerification } from './device-chain';
export { DEVICE_KEY_REF, fingerprintOf, loadDeviceKey, type DeviceKey } from './keys';
export { teamMigration } from './migration';
export { parseTeamUrl, TeamError, TeamSync, TEAM_PASSWORD_REF, type TeamConfig, type TeamStatus } from './sync';
export { teamSyncMigration } from './sync-migration';
