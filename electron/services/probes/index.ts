export * from '../../../shared/probe-config';
export * from './types';
export * from './scrub';
export * from './resilience';
export * from './secret-store';
export { probeRedis, parseInfo } from './redis-probe';
export { probeNeo4j } from './neo4j-probe';
export { probeHttp, probeTcp } from './net-probes';
export * from './runner';
