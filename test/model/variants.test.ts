/** `variants:` in the spec: each variant's services are the spec's, with its fields merged over them, less those it leaves out. */
import { describe, expect, test } from 'vitest';
import { compileSpec } from '../../src/model/compile.js';

const SPEC = `version: 1
defaults:
  environment: { LANG: C.UTF-8, TIER: base }
services:
  backup:
    command: [/usr/bin/backup]
    interval: 1h
    environment: { TARGET: local }
  web:
    command: [/usr/bin/web]
variants:
  slow:
    services:
      backup: { interval: 6h, environment: { TIER: slow } }
  no-web:
    services:
      web: false
`;

describe('variants', () => {
  const model = compileSpec(SPEC, 'spec.yaml');
  const service = (variant: string, name: string) => model.variants?.[variant]?.find((s) => s.name === name);

  test('the spec as written is unchanged by them', () => {
    expect(model.services.map((s) => s.name)).toEqual(['backup', 'web']);
    expect(model.services[0]?.schedule).toMatchObject({ kind: 'interval', intervalMs: 3_600_000 });
  });

  test('a variant changes fields; objects merge key by key over the service and the defaults', () => {
    expect(service('slow', 'backup')?.schedule).toMatchObject({ kind: 'interval', intervalMs: 6 * 3_600_000 });
    expect(service('slow', 'backup')?.environment).toEqual([['LANG', 'C.UTF-8'], ['TARGET', 'local'], ['TIER', 'slow']]);
    expect(service('slow', 'web')).toEqual(model.services[1]);
  });

  test('false leaves a service out', () => {
    expect(model.variants?.['no-web']?.map((s) => s.name)).toEqual(['backup']);
  });

  test('a spec without variants has none', () => {
    expect(compileSpec('version: 1\nservices:\n  a:\n    command: [/bin/true]\n', 's.yaml').variants).toBeUndefined();
  });
});
