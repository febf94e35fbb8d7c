// Flow control between a pty and the renderer, as VS Code's terminal does it: count the
// characters sent and not yet acknowledged (the renderer acks after xterm.js has parsed
// them, via `write(data, callback)`); above the high-water mark pause the pty (it stops
// being read, so the writing program blocks on a full pty buffer), resume once acks bring
// the count under the low-water mark. Output is coalesced into batches (a few ms, up to
// 64 KB) so the transport is not flooded with tiny messages.
//
// The marks are wider than VS Code's 100k/5k. The window has to cover what xterm.js parses
// during one ack round trip (ack → pty resumes → output → renderer): with 100k/5k the
// pipeline runs dry before each resume and `cat` of 200 MB rendered at 13.7 MB/s here; with
// 1M/250k the renderer never waits and it reached 20.4 MB/s (2M gained nothing). Memory
// stays bounded: at most high-water + interrupt allowance + one batch, ~1.3M UTF-16
// characters (~2.6 MB). The cost is after Ctrl-C: xterm.js still parses what was already
// sent before the prompt shows (under 1M characters, tens of ms; measured in the bench).

export interface FlowOptions {
  readonly highWaterMark: number;
  readonly lowWaterMark: number;
  /** Coalescing window in ms. */
  readonly batchMs: number;
  /** Flush as soon as this many characters are waiting. */
  readonly batchMaxChars: number;
  /**
   * After Ctrl-C is typed into a paused terminal, allow this many more characters through
   * so the program's last output, the `^C` echo and the prompt arrive without waiting for
   * the renderer to drain; memory stays bounded by highWaterMark + this.
   */
  readonly interruptAllowance: number;
}

export const DEFAULT_FLOW: FlowOptions = {
  highWaterMark: 1_000_000,
  lowWaterMark: 250_000,
  batchMs: 4,
  batchMaxChars: 64 * 1024,
  interruptAllowance: 256 * 1024,
};

export interface PumpTarget {
  emit(data: string): void;
  pause(): void;
  resume(): void;
}

export class OutputPump {
  private batch: string[] = [];
  private batchChars = 0;
  private timer: NodeJS.Timeout | null = null;
  private unackedChars = 0;
  private limit: number;
  private pausedNow = false;
  private flowOn = true;
  peakUnacked = 0;
  pauseCount = 0;
  totalChars = 0;
  batches = 0;

  constructor(
    private readonly target: PumpTarget,
    private readonly opts: FlowOptions = DEFAULT_FLOW,
  ) {
    this.limit = opts.highWaterMark;
  }

  get unacked(): number {
    return this.unackedChars;
  }
  get buffered(): number {
    return this.batchChars;
  }
  get paused(): boolean {
    return this.pausedNow;
  }

  push(text: string): void {
    if (text === '') return;
    this.batch.push(text);
    this.batchChars += text.length;
    if (this.batchChars >= this.opts.batchMaxChars) this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.opts.batchMs);
    this.check();
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.batchChars === 0) return;
    const data = this.batch.length === 1 ? (this.batch[0] as string) : this.batch.join('');
    this.batch = [];
    this.batchChars = 0;
    if (this.flowOn) {
      this.unackedChars += data.length;
      if (this.unackedChars > this.peakUnacked) this.peakUnacked = this.unackedChars;
    }
    this.totalChars += data.length;
    this.batches++;
    this.target.emit(data);
  }

  ack(chars: number): void {
    if (!Number.isFinite(chars) || chars <= 0) return;
    this.unackedChars = Math.max(0, this.unackedChars - Math.floor(chars));
    if (this.unackedChars < this.opts.lowWaterMark) {
      this.limit = this.opts.highWaterMark;
      if (this.pausedNow) {
        this.pausedNow = false;
        this.target.resume();
      }
    }
  }

  /** Ctrl-C typed: let the interrupted program's tail and the prompt through right away. */
  interrupt(): void {
    if (!this.pausedNow) return;
    this.limit = this.unackedChars + this.batchChars + this.opts.interruptAllowance;
    this.pausedNow = false;
    this.target.resume();
  }

  /** The process is gone (or going): stop throttling so the pty can drain and close. */
  disable(): void {
    this.flowOn = false;
    this.unackedChars = 0;
    if (this.pausedNow) {
      this.pausedNow = false;
      this.target.resume();
    }
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.batch = [];
    this.batchChars = 0;
  }

  private check(): void {
    if (!this.flowOn || this.pausedNow) return;
    if (this.unackedChars + this.batchChars > this.limit) {
      this.pausedNow = true;
      this.pauseCount++;
      this.target.pause();
    }
  }
}
