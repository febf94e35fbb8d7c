import { describe, expect, it } from 'vitest';
import { alertDirection, alertMachine, hostOf, isRecovery, machineOfAddress, namesMachine } from '../../shared/alert-routing';

describe('alert direction', () => {
  it('tells a recovery (eased, recovered) from a new or worse problem', () => {
    expect(alertDirection({ kind: 'alert.raised', from: 'normal', to: 'warning' })).toBe('raised');
    expect(alertDirection({ kind: 'alert.raised', from: 'warning', to: 'danger' })).toBe('escalated');
    expect(alertDirection({ kind: 'alert.raised', from: 'danger', to: 'warning' })).toBe('eased');
    expect(alertDirection({ kind: 'alert.cleared', from: 'danger', to: 'normal' })).toBe('recovered');
    expect(alertDirection({ kind: 'alert.raised', from: 'down', to: 'warning' })).toBe('eased');
    expect(alertDirection({ kind: 'alert.raised', from: 'ok', to: 'down' })).toBe('raised');
    expect(alertDirection({ kind: 'alert.cleared', from: 'down', to: 'ok' })).toBe('recovered');
    expect(isRecovery('eased')).toBe(true);
    expect(isRecovery('escalated')).toBe(false);
  });
});

describe('alert machine', () => {
  it('names this laptop for its own gauges and loopback probes, the host otherwise', () => {
    expect(alertMachine({ source: 'gauge', metric: 'cpu' })).toBe('local');
    expect(alertMachine({ source: 'gauge', metric: 'cpu', host: 'db1' })).toBe('db1');
    expect(alertMachine({ source: 'probe', target: '127.0.0.1:6379' })).toBe('local');
    expect(alertMachine({ source: 'probe', target: 'http://localhost:8080/health' })).toBe('local');
    expect(alertMachine({ source: 'probe', target: 'https://api.example.com/health' })).toBe('api.example.com');
    expect(machineOfAddress('[::1]:7687')).toBe('local');
    expect(hostOf('ops@db1:2222')).toBe('db1');
    expect(namesMachine('ops@db1:2222', 'db1')).toBe(true);
    expect(namesMachine('db2', 'db1')).toBe(false);
  });
});
