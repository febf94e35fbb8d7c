export { ContactDirectory } from './contacts';
export { escalationMigration } from './migration';
export { OnCallRotation, parseRotationTime } from './rotation';
export { EscalationService, readEscalationState } from './service';
export { findTriggers } from './suggest';
export { UpdateService, UPDATE_TEMPLATE } from './updates';
export { buildEml, mailtoLink } from './eml';
export { EscalationPolicyFile, ESCALATION_POLICY_FILE } from './policy-file';
