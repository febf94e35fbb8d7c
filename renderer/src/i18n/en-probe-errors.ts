// Probe errors as the operator reads them (issue 15): the main side's English messages are
// matched by renderer/src/views/system/probe-error-text.ts; ja-probe-errors.ts has the same keys.
export const enProbeErrors = {
  probeErrors: {
    circuitOpen: 'Paused after {{count}} failed runs; next try {{time}}',
    refused: 'Connection refused ({{detail}})',
    timeout: 'No answer within {{ms}} ms',
    timeoutPlain: 'Timed out',
    notFound: 'Host name not found ({{detail}})',
    reset: 'Connection closed by the server',
    unreachable: 'Network unreachable ({{detail}})',
    auth: 'Authentication failed: {{detail}}',
    noSecret: 'The password "{{name}}" is not set',
    http: 'HTTP {{status}}{{expected}}',
    httpExpected: ' (expected {{list}})',
    healthStatus: 'Health status "{{status}}"',
    missingText: 'The response does not contain {{text}}',
    notBolt: 'This is the HTTP port, not Bolt (Bolt is usually 7687)',
    unreachableReason: 'unreachable',
    breakerReason: 'paused after repeated failures',
  },
};
