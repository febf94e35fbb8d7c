// The first 19 bytes of a log line — `YYYY-MM-DDTHH:MM:SS`, what lines in the same second
// share — held as five little-endian 32-bit words (the last overlapping the fourth), so a
// line is compared with the last one seen in five loads instead of 19 (scan/window.ts for
// the time window, scan/levels.ts for a level word's search). Words are compared seconds
// first: they change most often.

/** How many bytes a key holds. */
export const PREFIX_BYTES = 19;

export class PrefixKey {
  /** Whether a key is held (`matches` is false until `take`). */
  held = false;
  private k0 = 0;
  private k1 = 0;
  private k2 = 0;
  private k3 = 0;
  private k4 = 0;
  private viewOf: Buffer | null = null;
  private dataView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** A DataView of `buffer`, made once per buffer object. */
  view(buffer: Buffer): DataView<ArrayBufferLike> {
    if (buffer !== this.viewOf) {
      this.viewOf = buffer;
      this.dataView = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
    }
    return this.dataView;
  }

  /** Whether the PREFIX bytes at `at` (all inside `buffer`) are the held key. */
  matches(buffer: Buffer, at: number): boolean {
    if (!this.held) return false;
    const v = this.view(buffer);
    return v.getUint32(at + 15, true) === this.k4 && v.getUint32(at + 12, true) === this.k3 && v.getUint32(at + 8, true) === this.k2 && v.getUint32(at + 4, true) === this.k1 && v.getUint32(at, true) === this.k0;
  }

  /** Holds the PREFIX bytes at `at` (all inside `buffer`). */
  take(buffer: Buffer, at: number): void {
    const v = this.view(buffer);
    this.k0 = v.getUint32(at, true);
    this.k1 = v.getUint32(at + 4, true);
    this.k2 = v.getUint32(at + 8, true);
    this.k3 = v.getUint32(at + 12, true);
    this.k4 = v.getUint32(at + 15, true);
    this.held = true;
  }
}
