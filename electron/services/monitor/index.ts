export * from './alert-target';
export * from './monitor';
