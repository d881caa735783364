import { describe, expect, it } from 'vitest';
import { seedText } from '../../test/support/archives';
import { readManifest, readShard, shardBitsFor, shardJson, shardOf } from './published';

const manifest = {
  format: 'archivelens-index', version: 1, build: '05f87f63ffbfc7b1', name: 'NodeBE4/society',
  repo: { owner: 'NodeBE4', name: 'society', branch: 'HEAD' }, site: null,
  posts: 15146, videos: 14905, shardBits: 9, memberBits: 238480, mentionBits: 1024,
};

describe('a published index read back', () => {
  it('takes a manifest the CLI writes, and says what is wrong with one it does not', () => {
    expect(readManifest(JSON.stringify(manifest))).toEqual({ ok: true, value: manifest });
    expect(readManifest('<html>Not found</html>')).toEqual({ ok: false, message: 'the manifest is not JSON' });
    expect(readManifest(JSON.stringify({ ...manifest, format: 'other' }))).toMatchObject({ ok: false, message: expect.stringContaining('not an ArchiveLens index') });
    expect(readManifest(JSON.stringify({ ...manifest, version: 2 }))).toMatchObject({ ok: false, message: expect.stringContaining('format version 2') });
    expect(readManifest(JSON.stringify({ ...manifest, shardBits: 40 }))).toMatchObject({ ok: false });
    expect(readManifest(JSON.stringify({ ...manifest, videos: -1 }))).toMatchObject({ ok: false });
    expect(readManifest(JSON.stringify({ ...manifest, mentionBits: 12 }))).toMatchObject({ ok: false });
    // An index written before mentions had a filter has none.
    const { mentionBits: _m, ...older } = manifest;
    expect(readManifest(JSON.stringify(older))).toMatchObject({ ok: true, value: { mentionBits: 0 } });
    // A hostile repository or site is dropped, not trusted.
    const hostile = readManifest(JSON.stringify({ ...manifest, repo: { owner: '../..', name: 'x', branch: 'y' } }).replace('{', '{"__proto__":{"polluted":true},'));
    expect(hostile).toMatchObject({ ok: true, value: { repo: null } });
    expect(hostile.ok && Object.keys(hostile.value)).not.toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps only the videos that belong in the shard, post files and texts a post may be', () => {
    const bits = shardBitsFor(14905);
    const id = 'GorsYGIeIK4';
    const shard = shardOf(id, bits);
    const other = ['-VWLP6-06Jc', 'XMIMDpfOULU', 'aaaaaaaaaaa', 'bbbbbbbbbbb'].find((v) => shardOf(v, bits) !== shard)!;
    const post = { path: '_posts/2024-12-07-a.md', text: seedText() };
    const text = shardJson({ videos: { [id]: [post, { path: '../../etc/passwd', text: 'x' }], [other]: [post], 'not an id': [post] } });
    const read = readShard(text, shard, bits);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect([...read.value.videos.keys()]).toEqual([id]);
    expect(read.value.videos.get(id as never)).toEqual([post]);
    expect(readShard('{"videos":[]}', shard, bits)).toMatchObject({ ok: false });
  });
});
