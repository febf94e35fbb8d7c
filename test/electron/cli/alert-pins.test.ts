import { describe, expect, it } from 'vitest';
import { useCliHarness } from './support';

describe('firebreak incident targets: this laptop as a target, and alert pins', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('adds this laptop as an affected target, pins and unpins its alerts, each on the timeline', async () => {
    expect((await cli('incident', 'new', '--title', 'API slow', '--severity', 'P2')).code).toBe(0);
    expect((await cli('incident', 'targets', '1', 'add', 'local')).code).toBe(0);
    const pinned = await cli('incident', 'targets', '1', 'pin', 'local');
    expect(pinned).toEqual({ code: 0, out: 'Alerts about local now go to this incident.' });
    expect((await cli('incident', 'targets', '1')).out).toBe('local\nAlerts pinned: local');
    const again = await cli('incident', 'targets', '1', 'pin', 'local');
    expect(again.code).not.toBe(0);
    expect(`${again.out}\n${harness.errors.join('\n')}`).toMatch(/already pinned/);
    expect((await cli('incident', 'targets', '1', 'unpin', 'local')).out).toBe('Alerts about local no longer go to this incident.');
    const timeline = JSON.parse((await cli('timeline', '1', '--json')).out) as { kind: string; data: { target?: string } }[];
    expect(timeline.filter((e) => e.data.target === 'local').map((e) => e.kind)).toEqual(['incident.target-added', 'alerts.pinned', 'alerts.unpinned']);
  });
});
