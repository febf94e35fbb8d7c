// Minimal PackStream v1 (Bolt's serialisation) for the test Bolt stub.

export class Struct {
  constructor(
    readonly signature: number,
    readonly fields: unknown[],
  ) {}
}

export function encode(value: unknown): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function header(small: number, sizes: [number, number, number], length: number, parts: Buffer[]): void {
  if (length < 16) parts.push(Buffer.from([small + length]));
  else if (length < 0x100) parts.push(Buffer.from([sizes[0], length]));
  else if (length < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = sizes[1];
    b.writeUInt16BE(length, 1);
    parts.push(b);
  } else {
    const b = Buffer.alloc(5);
    b[0] = sizes[2];
    b.writeUInt32BE(length, 1);
    parts.push(b);
  }
}

function write(value: unknown, parts: Buffer[]): void {
  if (value === null || value === undefined) parts.push(Buffer.from([0xc0]));
  else if (value === true) parts.push(Buffer.from([0xc3]));
  else if (value === false) parts.push(Buffer.from([0xc2]));
  else if (typeof value === 'number' && Number.isInteger(value)) {
    if (value >= -16 && value <= 127) parts.push(Buffer.from([value & 0xff]));
    else if (value >= -128 && value <= 127) parts.push(Buffer.from([0xc8, value & 0xff]));
    else if (value >= -32768 && value <= 32767) {
      const b = Buffer.alloc(3);
      b[0] = 0xc9;
      b.writeInt16BE(value, 1);
      parts.push(b);
    } else if (value >= -2147483648 && value <= 2147483647) {
      const b = Buffer.alloc(5);
      b[0] = 0xca;
      b.writeInt32BE(value, 1);
      parts.push(b);
    } else {
      const b = Buffer.alloc(9);
      b[0] = 0xcb;
      b.writeBigInt64BE(BigInt(value), 1);
      parts.push(b);
    }
  } else if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = 0xc1;
    b.writeDoubleBE(value, 1);
    parts.push(b);
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    header(0x80, [0xd0, 0xd1, 0xd2], bytes.length, parts);
    parts.push(bytes);
  } else if (Array.isArray(value)) {
    header(0x90, [0xd4, 0xd5, 0xd6], value.length, parts);
    for (const item of value) write(item, parts);
  } else if (value instanceof Struct) {
    parts.push(Buffer.from([0xb0 + value.fields.length, value.signature]));
    for (const f of value.fields) write(f, parts);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    header(0xa0, [0xd8, 0xd9, 0xda], entries.length, parts);
    for (const [k, v] of entries) {
      write(k, parts);
      write(v, parts);
    }
  } else throw new Error(`cannot pack ${typeof value}`);
}

export class Decoder {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  read(): unknown {
    const m = this.buf[this.pos++]!;
    if (m <= 0x7f) return m;
    if (m >= 0xf0) return m - 0x100;
    if (m >= 0x80 && m <= 0x8f) return this.str(m - 0x80);
    if (m >= 0x90 && m <= 0x9f) return this.list(m - 0x90);
    if (m >= 0xa0 && m <= 0xaf) return this.map(m - 0xa0);
    if (m >= 0xb0 && m <= 0xbf) {
      const sig = this.buf[this.pos++]!;
      const fields: unknown[] = [];
      for (let i = 0; i < m - 0xb0; i++) fields.push(this.read());
      return new Struct(sig, fields);
    }
    switch (m) {
      case 0xc0:
        return null;
      case 0xc1:
        return this.take(8).readDoubleBE(0);
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc8:
        return this.take(1).readInt8(0);
      case 0xc9:
        return this.take(2).readInt16BE(0);
      case 0xca:
        return this.take(4).readInt32BE(0);
      case 0xcb:
        return Number(this.take(8).readBigInt64BE(0));
      case 0xcc:
        return this.take(this.take(1).readUInt8(0));
      case 0xcd:
        return this.take(this.take(2).readUInt16BE(0));
      case 0xce:
        return this.take(this.take(4).readUInt32BE(0));
      case 0xd0:
        return this.str(this.take(1).readUInt8(0));
      case 0xd1:
        return this.str(this.take(2).readUInt16BE(0));
      case 0xd2:
        return this.str(this.take(4).readUInt32BE(0));
      case 0xd4:
        return this.list(this.take(1).readUInt8(0));
      case 0xd5:
        return this.list(this.take(2).readUInt16BE(0));
      case 0xd6:
        return this.list(this.take(4).readUInt32BE(0));
      case 0xd8:
        return this.map(this.take(1).readUInt8(0));
      case 0xd9:
        return this.map(this.take(2).readUInt16BE(0));
      case 0xda:
        return this.map(this.take(4).readUInt32BE(0));
      default:
        throw new Error(`unknown PackStream marker 0x${m.toString(16)}`);
    }
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  private str(n: number): string {
    return this.take(n).toString('utf8');
  }
  private list(n: number): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.read());
    return out;
  }
  private map(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = this.read() as string;
      out[k] = this.read();
    }
    return out;
  }
}
