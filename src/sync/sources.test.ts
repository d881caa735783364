// What a reader may add as a source, and what the extension may ever be granted for it.
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json';
import { bundleSource, LOCAL_HOSTS, SourceInputError } from './sources';

describe('bundle sources', () => {
  it('are read over https, or over plain http from this machine only', () => {
    expect(bundleSource('https://example.org/a.json.gz').bundleUrl).toBe('https://example.org/a.json.gz');
    expect(bundleSource('http://127.0.0.1:8080/a.json.gz').bundleUrl).toBe('http://127.0.0.1:8080/a.json.gz');
    expect(bundleSource('http://localhost/a.json.gz').kind).toBe('bundle');
    expect(() => bundleSource('http://example.org/a.json.gz')).toThrow(SourceInputError);
    expect(() => bundleSource('http://192.168.1.2/a.json.gz')).toThrow(SourceInputError);
  });

  it('can never be granted plain http beyond this machine: the optional permissions name https and the local hosts only', () => {
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', ...LOCAL_HOSTS.map((host) => `http://${host}/*`)]);
  });
});
