// The 1 MiB buffers every copy reads into, shared by all copies in the process. With
// 10,000 small files, fresh buffers per file churn gigabytes through the allocator and
// inflate RSS between GCs; reusing a few dozen keeps both flat.
//
// They are also page-aligned, so a big blob can be written with O_DIRECT straight from the
// buffer it was read into (see StoreSink). Node gives no aligned allocation, but
// WebAssembly memories are page-aligned: buffers are carved from a few fixed-size ones.

/** 1 MiB reads: large enough that per-call overhead vanishes, small enough to keep RSS flat. */
export const CHUNK_SIZE = 1 << 20;
/** O_DIRECT wants offset, length and memory aligned to the logical block size; 4 KiB covers 512 B and 4 KiB devices. */
export const DIRECT_ALIGN = 4096;

const WASM_PAGE = 64 * 1024;
/** 16 chunks per arena, at most 4 arenas: 64 MiB of address space, touched only as used. */
const ARENA_CHUNKS = 16;
const MAX_ARENAS = 4;
/** Unaligned buffers (once the arenas are all handed out) kept for reuse. */
const SPARE_MAX = 16;

// The node tsconfig has no DOM lib, which is where WebAssembly's value side is typed.
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (size: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer } } }).WebAssembly.Memory;

const free: Buffer[] = [];
const spare: Buffer[] = [];
const aligned = new WeakSet<ArrayBufferLike>();
let arenas = 0;

function takeChunk(): Buffer {
  const reused = free.pop() ?? spare.pop();
  if (reused) return reused;
  if (arenas < MAX_ARENAS) {
    try {
      const pages = (ARENA_CHUNKS * CHUNK_SIZE) / WASM_PAGE;
      const memory = new WasmMemory({ initial: pages, maximum: pages });
      arenas++;
      aligned.add(memory.buffer);
      for (let i = 1; i < ARENA_CHUNKS; i++) free.push(Buffer.from(memory.buffer, i * CHUNK_SIZE, CHUNK_SIZE));
      return Buffer.from(memory.buffer, 0, CHUNK_SIZE);
    } catch {
      arenas = MAX_ARENAS; // no more address space for memories: plain buffers from here on
    }
  }
  return Buffer.allocUnsafe(CHUNK_SIZE);
}

function giveChunk(buffer: Buffer): void {
  if (aligned.has(buffer.buffer)) free.push(buffer);
  else if (spare.length < SPARE_MAX) spare.push(buffer);
}

/** Whether `view` may be written with O_DIRECT: page-aligned memory and a whole number of blocks. */
export function isDirectWritable(view: Uint8Array): boolean {
  return aligned.has(view.buffer) && view.byteOffset % DIRECT_ALIGN === 0 && view.byteLength % DIRECT_ALIGN === 0;
}

/** Fixed set of read buffers for one copy, borrowed from the process-wide set. */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly waiters: Array<(buffer: Buffer) => void> = [];
  constructor(private readonly count: number) {
    for (let i = 0; i < count; i++) this.free.push(takeChunk());
  }
  acquire(): Promise<Buffer> {
    const buffer = this.free.pop();
    return buffer ? Promise.resolve(buffer) : new Promise((resolve) => this.waiters.push(resolve));
  }
  release(buffer: Buffer): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(buffer);
    else this.free.push(buffer);
  }
  /** Gives the buffers back once every in-flight write has released its own. */
  async dispose(): Promise<void> {
    const all: Buffer[] = [];
    for (let i = 0; i < this.count; i++) all.push(await this.acquire());
    for (const b of all) giveChunk(b);
  }
}
