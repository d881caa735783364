import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { ShaTable } from './sha-table';

describe('the sha table of a full sync', () => {
  it('gives back the sha of every file of the society archive repeated 8 times, and nothing for other paths', () => {
    // The scale archive's paths (the society's, under copy-N/), each with a sha of its own.
    const society = listFiles(extractedSociety()).filter((p) => p.endsWith('.md'));
    const files = Array.from({ length: 8 }, (_, copy) => society.map((p) => `archived/copy-${copy}/${p}`)).flat()
      .map((path) => ({ path, sha: createHash('sha1').update(path).digest('hex') }));
    expect(files.length).toBeGreaterThan(120_000);
    const table = ShaTable.of(files);
    expect(table.size).toBe(files.length);
    for (const file of files) expect(table.get(file.path)).toBe(file.sha);
    expect(table.get('_posts/not-in-the-listing.md')).toBeUndefined();
  });

  it('leaves out what is not a sha, so the content decides it', () => {
    const table = ShaTable.of([{ path: 'a.md', sha: 'not a sha' }, { path: 'b.md', sha: 'B'.repeat(40) }, { path: 'c.md', sha: '0'.repeat(40) }]);
    expect(table.get('a.md')).toBeUndefined();
    expect(table.get('b.md')).toBeUndefined();
    expect(table.get('c.md')).toBe('0'.repeat(40));
  });
});
