import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStore } from '../../../../electron/services/evidence/cas';
import { MEMBER_MAX, MemberWriter } from '../../../../electron/services/evidence/member-writer';

const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

describe('batch members written by the member writer', () => {
  let dir: string;
  let store: ContentStore;
  let writer: MemberWriter;
  const temps = () => (fs.existsSync(store.tmpDir) ? fs.readdirSync(store.tmpDir) : []);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-member-writer-'));
    store = new ContentStore(path.join(dir, 'evidence'));
    writer = new MemberWriter(store);
  });
  afterEach(async () => {
    await writer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hashes the chunks as they come, writes the member whole when sealed and files it under its digest when finished', async () => {
    const body = Buffer.from('2026-12-06T10:00:00Z INFO one\n'.repeat(5000));
    const sink = await writer.sink(body.length);
    for (let at = 0; at < body.length; at += 65536) await sink.write(body.subarray(at, at + 65536));
    expect(sink.sha256SoFar()).toBe(sha256(body));
    // Nothing on disk until the member is whole.
    expect(temps()).toEqual([]);
    await sink.seal();
    const [temp] = temps();
    expect(fs.readFileSync(path.join(store.tmpDir, temp!))).toEqual(body);
    const blob = await sink.finish();
    expect(blob).toEqual({ sha256: sha256(body), size: body.length, path: store.pathFor(sha256(body)), deduplicated: false });
    expect(fs.readFileSync(blob.path)).toEqual(body);
    expect(fs.statSync(blob.path).mode & 0o777).toBe(0o444);
    expect(temps()).toEqual([]);
    await store.barrier();
    // The same content again: the store keeps one blob.
    const again = await writer.sink(body.length);
    await again.write(body);
    expect(await again.finish()).toMatchObject({ sha256: sha256(body), deduplicated: false });
    expect(fs.readdirSync(path.dirname(blob.path))).toEqual([path.basename(blob.path)]);
    expect(temps()).toEqual([]);
  });

  it('an aborted member leaves nothing, sealed or not; a member longer than announced is refused', async () => {
    const open = await writer.sink(10);
    await open.write(Buffer.from('12345'));
    await open.abort();
    const sealed = await writer.sink(3);
    await sealed.write(Buffer.from('abc'));
    await sealed.seal();
    expect(temps()).toHaveLength(1);
    await sealed.abort();
    expect(temps()).toEqual([]);
    const short = await writer.sink(4);
    await expect(short.write(Buffer.from('too long'))).rejects.toThrow(/longer than its 4 bytes/);
    await short.abort();
    await expect(writer.sink(MEMBER_MAX + 1)).rejects.toThrow(/over/);
    expect(fs.existsSync(store.blobRoot) ? fs.readdirSync(store.blobRoot) : []).toEqual([]);
  });

  it('more members at once than slots wait for a slot; a cancelled member is refused', async () => {
    const sinks = await Promise.all(Array.from({ length: 4 }, () => writer.sink(1)));
    let fifth = false;
    const waiting = writer.sink(1).then((s) => ((fifth = true), s));
    await new Promise((r) => setImmediate(r));
    expect(fifth).toBe(false);
    await sinks[0]!.write(Buffer.from('a'));
    await sinks[0]!.seal();
    const next = await waiting;
    expect(fifth).toBe(true);
    for (const s of [...sinks, next]) await s.abort();
    const controller = new AbortController();
    const cancelled = await writer.sink(1, controller.signal);
    controller.abort();
    await expect(cancelled.write(Buffer.from('x'))).rejects.toThrow();
    await cancelled.abort();
    expect(temps()).toEqual([]);
  });

  it('members finished together each get their own outcome: one that fails leaves the others filed', async () => {
    const bodies = ['first\n', 'second\n', 'third\n'];
    const sinks = [];
    for (const body of bodies) {
      const sink = await writer.sink(body.length);
      await sink.write(Buffer.from(body));
      await sink.seal();
      sinks.push(sink);
    }
    // The second's temp file is gone (as if removed behind the store's back): its rename fails.
    fs.rmSync(sinks[1]!.tempPath);
    const outcomes = await Promise.allSettled(sinks.map((s) => s.finish()));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ENOENT' });
    for (const i of [0, 2]) expect(fs.readFileSync(store.pathFor(sha256(bodies[i]!)), 'utf8')).toBe(bodies[i]);
    await sinks[1]!.abort();
    expect(temps()).toEqual([]);
  });

  it('once the writer is closed its members fail, and aborting them still removes their temp files', async () => {
    const sealed = await writer.sink(2);
    await sealed.write(Buffer.from('ok'));
    await sealed.seal();
    await writer.close();
    await expect(sealed.finish()).rejects.toThrow(/closed/);
    await sealed.abort();
    expect(temps()).toEqual([]);
  });
});
