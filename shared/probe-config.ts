import { z } from 'zod';

// Probe settings (zod). Passwords never live here: a target names a `secretRef` that the
// injected SecretStore resolves at probe time. Defaults are seed 000's: latency
// <200 / 200–500 / >500 ms, query time <100 / 100–500 / >500 ms, memory 80 % early warning
// (80 / 90 %), connection pool 70 / 85 % (000) tightened to an 80 % alert by 003; retries with
// exponential backoff and a circuit breaker (failure_threshold = 5, timeout = 60 s).

const SECRET_KEYS = ['password', 'pass', 'secret', 'token', 'credentials', 'auth', 'apikey', 'apiKey'];

const hostSchema = z.string().trim().min(1).max(255).regex(/^[^\s/@]+$/, 'a host name or address, without scheme or credentials');
const portSchema = z.number().int().min(1).max(65535);

function urlWithoutPassword(schemes: readonly string[]) {
  return z
    .string()
    .trim()
    .max(2048)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a valid URL' });
        return;
      }
      if (!schemes.includes(url.protocol.replace(/:$/, ''))) ctx.addIssue({ code: 'custom', message: `scheme must be one of ${schemes.join(', ')}` });
      if (url.password) ctx.addIssue({ code: 'custom', message: 'URL must not contain a password: store it as a secret and set secretRef' });
    });
}

const common = {
  name: z.string().trim().min(1).max(64),
  enabled: z.boolean().default(true),
  /** Per attempt. */
  timeoutMs: z.number().int().min(50).max(60_000).default(3_000),
  /** Extra attempts after the first (exponential backoff with jitter between them). */
  retries: z.number().int().min(0).max(5).default(2),
  /** How often the app runs this probe. */
  intervalMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
  username: z.string().max(256).optional(),
  /** Name of the secret (password) in the SecretStore; never the secret itself. */
  secretRef: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, dot, dash, underscore, colon')
    .optional(),
};

export const neo4jTargetSchema = z.strictObject({
  ...common,
  kind: z.literal('neo4j'),
  url: urlWithoutPassword(['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc']),
  database: z.string().max(128).optional(),
});

export const redisTargetSchema = z.strictObject({
  ...common,
  kind: z.literal('redis'),
  host: hostSchema.default('127.0.0.1'),
  port: portSchema.default(6379),
  db: z.number().int().min(0).max(255).default(0),
  tls: z.boolean().default(false),
});

export const httpTargetSchema = z.strictObject({
  ...common,
  kind: z.literal('http'),
  url: urlWithoutPassword(['http', 'https']),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  /** Accepted status codes; default any 2xx or 3xx. */
  expectStatus: z.array(z.number().int().min(100).max(599)).max(20).optional(),
  /** Text the body must contain (first 64 KiB), e.g. "healthy". */
  expectText: z.string().min(1).max(1024).optional(),
  /** Accept self-signed certificates (internal endpoints). */
  tlsInsecure: z.boolean().default(false),
});

export const tcpTargetSchema = z.strictObject({
  ...common,
  kind: z.literal('tcp'),
  host: hostSchema,
  port: portSchema,
});

export const probeTargetSchema = z.discriminatedUnion('kind', [neo4jTargetSchema, redisTargetSchema, httpTargetSchema, tcpTargetSchema]);
export type ProbeTarget = z.infer<typeof probeTargetSchema>;
export type ProbeKind = ProbeTarget['kind'];
export type Neo4jTarget = z.infer<typeof neo4jTargetSchema>;
export type RedisTarget = z.infer<typeof redisTargetSchema>;
export type HttpTarget = z.infer<typeof httpTargetSchema>;
export type TcpTarget = z.infer<typeof tcpTargetSchema>;

const band = (warning: number, danger: number) =>
  z
    .object({ warning: z.number().min(0).default(warning), danger: z.number().min(0).default(danger) })
    .prefault({})
    .refine((b) => b.warning <= b.danger, { message: 'warning must not be above danger' });

export const probeConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    thresholds: z
      .object({
        /** Round trip (PING, HTTP response, TCP connect, Bolt connect): ms. */
        latencyMs: band(200, 500),
        /** Neo4j `RETURN 1`: ms. */
        queryMs: band(100, 500),
        /** Redis used_memory / maxmemory: %. */
        memoryPercent: band(80, 90),
        /** Redis connected_clients / maxclients: %. */
        clientsPercent: band(70, 80),
      })
      .prefault({}),
    breaker: z
      .object({
        failureThreshold: z.number().int().min(1).max(100).default(5),
        coolDownMs: z.number().int().min(100).max(3_600_000).default(60_000),
      })
      .prefault({}),
    backoff: z
      .object({
        baseMs: z.number().int().min(0).max(60_000).default(200),
        maxMs: z.number().int().min(0).max(60_000).default(2_000),
        /** ± fraction of each delay. */
        jitter: z.number().min(0).max(1).default(0.2),
      })
      .prefault({}),
    targets: z.array(probeTargetSchema).max(100).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.targets.forEach((t, i) => {
      if (seen.has(t.name.toLowerCase())) ctx.addIssue({ code: 'custom', message: `duplicate probe name "${t.name}"`, path: ['targets', i, 'name'] });
      seen.add(t.name.toLowerCase());
    });
  });
export type ProbeConfig = z.infer<typeof probeConfigSchema>;
export type ProbeConfigInput = z.input<typeof probeConfigSchema>;

function secretKeysIn(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => secretKeysIn(v, `${path}[${i}]`, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.includes(k)) found.push(path ? `${path}.${k}` : k);
      else secretKeysIn(v, path ? `${path}.${k}` : k, found);
    }
  }
}

/** Parses probe settings; a password-like field is refused with a message that says what to do. */
export function parseProbeConfig(input: unknown): ProbeConfig {
  const found: string[] = [];
  secretKeysIn(input, '', found);
  if (found.length > 0) throw new Error(`probe settings must not contain secrets (${found.join(', ')}): store passwords in the secret store and refer to them with secretRef`);
  return probeConfigSchema.parse(input);
}

export interface ProbeSettingsExport {
  readonly format: 'firebreak.probes';
  readonly version: 1;
  readonly exportedAt: string;
  /** Targets that need a password set again after import. */
  readonly needsSecret: readonly string[];
  readonly config: ProbeConfig;
}

function withoutSecretRef(target: ProbeTarget): ProbeTarget {
  const { secretRef: _ignored, ...rest } = target;
  return rest as ProbeTarget;
}

/** Settings for another machine: secret references are dropped (the secrets never were there). */
export function exportProbeSettings(config: ProbeConfig, at: Date = new Date()): ProbeSettingsExport {
  return {
    format: 'firebreak.probes',
    version: 1,
    exportedAt: at.toISOString(),
    needsSecret: config.targets.filter((t) => t.secretRef !== undefined).map((t) => t.name),
    config: { ...config, targets: config.targets.map(withoutSecretRef) },
  };
}

function stripSecrets(value: unknown, stripped: string[], path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => stripSecrets(v, stripped, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (SECRET_KEYS.includes(k) || k === 'secretRef') stripped.push(here);
      else if (k === 'url' && typeof v === 'string') out[k] = stripUrlPassword(v, stripped, here);
      else out[k] = stripSecrets(v, stripped, here);
    }
    return out;
  }
  return value;
}

function stripUrlPassword(value: string, stripped: string[], path: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '';
    stripped.push(`${path} (password)`);
    return url.toString();
  } catch {
    return value;
  }
}

/**
 * Accepts an export (or a bare config); anything secret-looking is dropped, not imported,
 * and listed in `stripped` so the UI can say which passwords to set.
 */
export function importProbeSettings(input: unknown): { config: ProbeConfig; stripped: string[] } {
  const raw = input && typeof input === 'object' && (input as { format?: unknown }).format === 'firebreak.probes' ? (input as { config: unknown }).config : input;
  const stripped: string[] = [];
  const clean = stripSecrets(raw, stripped, '');
  return { config: probeConfigSchema.parse(clean), stripped };
}
