// Remote targets (issue 13): this laptop or a host over the operator's OpenSSH.
export { targetMigration } from './migration';
export { TargetService, controlDirFor, type TargetServiceDeps, type TargetListing } from './service';
export { SshTarget, classifySshFailure, type SshSettings } from './ssh';
export { LocalTarget } from './local';
export { shQuote, parseTargetName, destinationArgs, type TargetSpec } from './quote';
export { TargetConnectionLost, type Target, type TargetProcess, type ProcessEnd, type ExecOptions } from './target';
