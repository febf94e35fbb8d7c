export { RiskService, RISK_HISTORY_FILE, type RiskServiceDeps, type RescoreProposal } from './service';
export { RiskRegisterFile, RISK_REGISTER_FILE } from './register';
export { SEED_RISKS } from './seed';
export { evaluateRule, type RuleInputs } from './rules';
