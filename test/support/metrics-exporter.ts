import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A small /metrics endpoint in the test process serving seed 000's metric names
// (api_errors_total, api_response_time_seconds histogram, database_connections), with
// values the test sets. Prometheus and the direct scrape both read it.

export const BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 1, 2.5] as const;

export class SeedExporter {
  errors = 0;
  /** Cumulative bucket counts, one per BUCKETS bound, plus +Inf last. */
  buckets: number[] = new Array(BUCKETS.length + 1).fill(0);
  sum = 0;
  connections = 5;
  /** Leave the error counter out entirely (a missing series). */
  omitErrors = false;
  /** Answer in the OpenMetrics format. */
  openMetrics = false;
  /** Answer 503 (a broken service). */
  failing = false;
  private server: http.Server | null = null;
  port = 0;

  /** `count` requests, each taking `seconds`, of which `errors` failed. */
  observe(count: number, seconds: number, errors = 0): void {
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.buckets[i]! += count;
    });
    this.buckets[BUCKETS.length]! += count;
    this.sum += count * seconds;
    this.errors += errors;
  }

  /** The process restarted: every counter back to zero. */
  reset(): void {
    this.errors = 0;
    this.buckets = new Array(BUCKETS.length + 1).fill(0);
    this.sum = 0;
  }

  get count(): number {
    return this.buckets[BUCKETS.length]!;
  }

  body(): string {
    const lines: string[] = [];
    if (!this.omitErrors) {
      lines.push('# HELP api_errors_total Total API errors', '# TYPE api_errors_total counter');
      lines.push(`api_errors_total{endpoint="/api/v1/customers"} ${this.errors}`);
    }
    lines.push('# HELP api_response_time_seconds API response time', '# TYPE api_response_time_seconds histogram');
    BUCKETS.forEach((bound, i) => lines.push(`api_response_time_seconds_bucket{le="${bound}"} ${this.buckets[i]}`));
    lines.push(`api_response_time_seconds_bucket{le="+Inf"} ${this.count}`);
    lines.push(`api_response_time_seconds_sum ${this.sum}`, `api_response_time_seconds_count ${this.count}`);
    lines.push('# HELP database_connections Database connections', '# TYPE database_connections gauge');
    lines.push(`database_connections{db_type="neo4j"} ${this.connections}`);
    lines.push(`database_connections{db_type="redis"} 2`);
    if (this.openMetrics) {
      // OpenMetrics names the counter family without _total and ends with # EOF.
      const text = lines.join('\n').replace('# HELP api_errors_total', '# HELP api_errors').replace('# TYPE api_errors_total', '# TYPE api_errors');
      return `${text}\n# EOF\n`;
    }
    return `${lines.join('\n')}\n`;
  }

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => {
      if (this.failing) {
        response.writeHead(503).end('down');
        return;
      }
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      const type = this.openMetrics ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8';
      response.writeHead(200, { 'content-type': type }).end(this.body());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}/metrics`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
