/**
 * A watch that runs `check` at once and then every interval until stopped. A throw (a busy
 * database, a transient error) is logged and never stops the watch: the next tick retries.
 * The timer does not keep the process alive.
 */
export class PeriodicCheck {
  private timer: NodeJS.Timeout | undefined;

  /** `name` says whose check failed in the log line ("firebreak: SLA check failed: …"). */
  constructor(
    private readonly name: string,
    private readonly check: () => unknown,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    this.run();
    this.timer = setInterval(() => this.run(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    try {
      this.check();
    } catch (error) {
      console.warn(`firebreak: ${this.name} check failed:`, error instanceof Error ? error.message : error);
    }
  }
}
