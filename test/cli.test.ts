import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli';
import { EDGE_CASES, SOCIETY_TARBALL, seedText } from './support/archives';

const run = runCli;

describe('archive-lens check', () => {
  it('reads the whole society archive from its .tar.gz', async () => {
    const { code, out } = await run('check', SOCIETY_TARBALL, '--json');
    const summary = JSON.parse(out);
    expect(code).toBe(0);
    expect(summary.files).toBe(15271);
    expect(summary.failures).toEqual([]);
    expect(summary.channels).toHaveLength(27);
  });

  it('reads a folder, lists posts and channels for people', async () => {
    const { code, out } = await run('check', EDGE_CASES, '--posts');
    expect(code).toBe(0);
    expect(out).toMatch(/^files read\s+40$/m);
    expect(out).toContain('老楊到處說');
    expect(out).toMatch(/2022-02-09\s+XMIMDpfOULU/);
  });

  it('reports every broken post with its path and reason, and still reads the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archive-lens-'));
    mkdirSync(join(dir, '_posts'));
    writeFileSync(join(dir, '_posts/2025-02-02-good.md'), seedText());
    writeFileSync(join(dir, '_posts/notes.md'), '# not a post');
    writeFileSync(join(dir, '_posts/latin1.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0xff]));
    const { code, out } = await run('check', dir, '--json').finally(() => rmSync(dir, { recursive: true, force: true }));
    const summary = JSON.parse(out);
    expect(code).toBe(1);
    expect(summary.posts).toBe(1);
    expect(summary.failures).toEqual([
      { path: '_posts/latin1.md', reason: 'not-utf8', message: 'the file is not valid UTF-8 text' },
      { path: '_posts/notes.md', reason: 'no-front-matter', message: expect.stringContaining('not a post') },
    ]);
  });

  it('explains its usage and refuses what it cannot read', async () => {
    expect((await run()).code).toBe(2);
    const help = (await run('--help')).out;
    expect(help).toContain('archive-lens check <folder | archive.tar.gz>');
    expect(help).toContain('archive-lens bundle <folder | archive.tar.gz> -o <archive.ndjson.gz>');
    expect((await run('bundle', EDGE_CASES)).code).toBe(2); // no -o
    const missing = await run('check', '/no/such/place');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('/no/such/place');
  });
});
