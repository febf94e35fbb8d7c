import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigFile, jsonFormat, yamlFormat } from '../../../electron/services/config-file';
import { tempHome } from '../../support/temp-home';

const schema = z.strictObject({ name: z.string(), levels: z.array(z.strictObject({ minutes: z.number().int().positive() })).default([]) });
type Config = z.infer<typeof schema>;

describe('ConfigFile: a user-editable file in the profile', () => {
  let home: ReturnType<typeof tempHome>;
  beforeEach(() => {
    home = tempHome();
  });
  afterEach(() => home.cleanup());
  const yaml = (write = true) =>
    new ConfigFile<Config>({ path: path.join(home.dir, 'c.yaml'), schema, format: yamlFormat('# header\n'), missing: { value: () => ({ name: 'default', levels: [] }), write } });

  it('creates a missing file with the defaults when asked to, under its header', () => {
    const file = yaml();
    expect(file.load()).toEqual({ name: 'default', levels: [] });
    expect(fs.readFileSync(file.path, 'utf8')).toMatch(/^# header\nname: default\n/);
  });

  it('leaves a missing file missing otherwise', () => {
    const file = new ConfigFile<Config>({ path: path.join(home.dir, 'c.json'), schema, format: jsonFormat, missing: { value: () => ({ name: 'x', levels: [] }), write: false } });
    expect(file.load()).toEqual({ name: 'x', levels: [] });
    expect(fs.existsSync(file.path)).toBe(false);
  });

  it('reads the file again only when it changed', () => {
    const file = yaml();
    fs.writeFileSync(file.path, 'name: a\n');
    const first = file.load();
    expect(file.load()).toBe(first);
    fs.writeFileSync(file.path, 'name: bb\n');
    expect(file.load()).toEqual({ name: 'bb', levels: [] });
  });

  it('names file:line and the field of a bad value, and an unknown key at its own line', () => {
    const file = yaml();
    fs.writeFileSync(file.path, 'name: a\nlevels:\n  - minutes: 5\n  - minutes: -1\n');
    expect(() => file.load()).toThrow(`${file.path}:4: levels.1.minutes: `);
    fs.writeFileSync(file.path, 'name: a\nlevels:\n  - minutes: 5\n    colour: red\n');
    expect(() => file.load()).toThrow(`${file.path}:4: levels.0: `);
    fs.writeFileSync(file.path, 'name: [a\n');
    expect(() => file.load()).toThrow(new RegExp(`^${file.path}:\\d+: `));
  });

  it('names the file and field of a JSON file, and says when it is not JSON', () => {
    const file = new ConfigFile<Config>({ path: path.join(home.dir, 'c.json'), schema, format: jsonFormat, missing: { value: () => ({ name: 'x', levels: [] }), write: false } });
    fs.writeFileSync(file.path, '{"name": 1}');
    expect(() => file.load()).toThrow(`${file.path}: name: `);
    fs.writeFileSync(file.path, '{"name": ');
    expect(() => file.load()).toThrow(`${file.path}: not JSON`);
    file.save({ name: 'saved', levels: [{ minutes: 3 }] });
    expect(JSON.parse(fs.readFileSync(file.path, 'utf8'))).toEqual({ name: 'saved', levels: [{ minutes: 3 }] });
  });
});
