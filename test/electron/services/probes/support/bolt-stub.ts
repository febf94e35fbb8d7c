import net from 'node:net';
import { Decoder, encode, Struct } from './packstream';

// A small Bolt server, enough for neo4j-driver to connect, authenticate and run `RETURN 1`:
// handshake (magic 0x6060B017 + four version proposals [0, range, minor, major]), chunked
// messages (u16 length, 0x0000 ends a message), HELLO/LOGON → SUCCESS, RUN/PULL → RECORD +
// SUCCESS, auth failure → FAILURE Neo.ClientError.Security.Unauthorized.

const MAGIC = 0x6060b017;
const MSG = { HELLO: 0x01, GOODBYE: 0x02, RESET: 0x0f, RUN: 0x10, BEGIN: 0x11, COMMIT: 0x12, ROLLBACK: 0x13, DISCARD: 0x2f, PULL: 0x3f, TELEMETRY: 0x54, ROUTE: 0x66, LOGON: 0x6a, LOGOFF: 0x6b } as const;
const SUCCESS = 0x70;
const RECORD = 0x71;
const FAILURE = 0x7f;

export type BoltStubMode = 'ok' | 'hang' | 'hang-query' | 'close';

export interface BoltStubOptions {
  readonly user?: string;
  readonly password?: string;
  /** Bolt 5.x minor to negotiate; ≥1 uses LOGON, 0 puts the credentials in HELLO. */
  readonly minor?: number;
  readonly agent?: string;
  /** Delay before answering PULL (slow query). */
  readonly queryDelayMs?: number;
}

export class BoltStub {
  mode: BoltStubMode = 'ok';
  connections = 0;
  readonly sockets = new Set<net.Socket>();
  readonly received: string[] = [];
  /** BEGIN metadata in order (mode 'r' = a READ transaction) and the Cypher of each RUN. */
  readonly begins: Record<string, unknown>[] = [];
  readonly queries: string[] = [];
  private server = net.createServer((socket) => this.accept(socket));
  port = 0;

  constructor(readonly options: BoltStubOptions = {}) {}

  get url(): string {
    return `bolt://127.0.0.1:${this.port}`;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.mode === 'close') {
      socket.destroy();
      return;
    }
    let buffer = Buffer.alloc(0);
    let shaken = false;
    let message: Buffer[] = [];
    let authed = false;
    const minor = this.options.minor ?? 3;
    socket.on('data', (data) => {
      if (this.mode === 'hang') return; // accept and never answer
      buffer = Buffer.concat([buffer, data]);
      if (!shaken) {
        if (buffer.length < 20) return;
        if (buffer.readUInt32BE(0) !== MAGIC) {
          socket.destroy();
          return;
        }
        let chosen = false;
        for (let i = 0; i < 4; i++) {
          const [, range = 0, maxMinor = 0, major = 0] = buffer.subarray(4 + i * 4, 8 + i * 4);
          if (major === 5 && maxMinor >= minor && maxMinor - range <= minor) chosen = true;
        }
        socket.write(Buffer.from(chosen ? [0, 0, minor, 5] : [0, 0, 0, 0]));
        if (!chosen) {
          socket.end();
          return;
        }
        buffer = buffer.subarray(20);
        shaken = true;
      }
      while (buffer.length >= 2) {
        const size = buffer.readUInt16BE(0);
        if (buffer.length < 2 + size) break;
        const chunk = buffer.subarray(2, 2 + size);
        buffer = buffer.subarray(2 + size);
        if (size > 0) {
          message.push(chunk);
          continue;
        }
        if (message.length === 0) continue; // NOOP keep-alive
        const msg = new Decoder(Buffer.concat(message)).read() as Struct;
        message = [];
        const outcome = this.handle(socket, msg, minor, authed);
        if (outcome === 'authed') authed = true;
      }
    });
  }

  private send(socket: net.Socket, signature: number, ...fields: unknown[]): void {
    if (socket.destroyed) return;
    const body = encode(new Struct(signature, fields));
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += 0xffff) {
      const part = body.subarray(i, i + 0xffff);
      const head = Buffer.alloc(2);
      head.writeUInt16BE(part.length, 0);
      chunks.push(head, part);
    }
    chunks.push(Buffer.from([0, 0]));
    socket.write(Buffer.concat(chunks));
  }

  private checkAuth(socket: net.Socket, auth: Record<string, unknown>): boolean {
    const ok = this.options.user === undefined || (auth.principal === this.options.user && auth.credentials === this.options.password);
    if (!ok) {
      this.send(socket, FAILURE, { code: 'Neo.ClientError.Security.Unauthorized', message: 'The client is unauthorized due to authentication failure.' });
      socket.end();
    }
    return ok;
  }

  private handle(socket: net.Socket, msg: Struct, minor: number, authed: boolean): 'authed' | void {
    const name = Object.entries(MSG).find(([, v]) => v === msg.signature)?.[0] ?? `0x${msg.signature.toString(16)}`;
    this.received.push(name);
    switch (msg.signature) {
      case MSG.HELLO: {
        const extra = (msg.fields[0] ?? {}) as Record<string, unknown>;
        if (minor === 0 && !this.checkAuth(socket, extra)) return;
        this.send(socket, SUCCESS, { server: this.options.agent ?? 'Neo4j/5.26.0', connection_id: `bolt-${this.connections}`, hints: {} });
        return minor === 0 ? 'authed' : undefined;
      }
      case MSG.LOGON:
        if (!this.checkAuth(socket, (msg.fields[0] ?? {}) as Record<string, unknown>)) return;
        this.send(socket, SUCCESS, {});
        return 'authed';
      case MSG.BEGIN:
        this.begins.push((msg.fields[0] ?? {}) as Record<string, unknown>);
        this.send(socket, SUCCESS, {});
        return;
      case MSG.RUN:
        this.queries.push(String(msg.fields[0]));
        if (!authed) return void this.send(socket, FAILURE, { code: 'Neo.ClientError.Security.Unauthorized', message: 'not authenticated' });
        if (this.mode === 'hang-query') return;
        this.send(socket, SUCCESS, { fields: ['ok'], t_first: 0, qid: 0 });
        return;
      case MSG.PULL: {
        if (this.mode === 'hang-query') return;
        const reply = () => {
          this.send(socket, RECORD, [1]);
          this.send(socket, SUCCESS, { type: 'r', t_last: 0, db: 'neo4j' });
        };
        if (this.options.queryDelayMs) setTimeout(reply, this.options.queryDelayMs);
        else reply();
        return;
      }
      case MSG.GOODBYE:
        socket.end();
        return;
      case MSG.ROUTE:
        this.send(socket, SUCCESS, {
          rt: {
            ttl: 300,
            db: 'neo4j',
            servers: ['WRITE', 'READ', 'ROUTE'].map((role) => ({ addresses: [`127.0.0.1:${this.port}`], role })),
          },
        });
        return;
      case MSG.COMMIT:
        this.send(socket, SUCCESS, { bookmark: 'stub:1' });
        return;
      default:
        // RESET, BEGIN, ROLLBACK, DISCARD, TELEMETRY, LOGOFF: nothing to do.
        this.send(socket, SUCCESS, {});
    }
  }
}
