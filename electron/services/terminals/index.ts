export { TerminalService } from './terminal-service';
export { nodePtyFactory, type TerminalServiceDeps } from './deps';
export { commandTimelineData, transcriptFile, transcriptName } from './runs';
export { DEFAULT_FLOW, OutputPump, type FlowOptions } from './flow';
export { defaultShell, flavorOf } from './shell';
export { wrapCommand, wrapPwsh, wrapSh } from './wrap';
export { MASK, maskSecrets, stripAnsi } from './text';
export * from './types';
