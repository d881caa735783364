import { describe, expect, it } from 'vitest';
import { Http } from './http';
import { readListing } from './tree-listing';

const http = () => new Http({ fetch: fetch, signal: new AbortController().signal, backoffMs: [] });

/** A response whose body arrives in small pieces, as the network hands it over. */
function streamed(text: string, cutAt = Infinity, piece = 7): Response {
  const bytes = new TextEncoder().encode(text).subarray(0, cutAt);
  return new Response(new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += piece) controller.enqueue(bytes.slice(at, at + piece));
      controller.close();
    },
  }));
}

const listing = JSON.stringify({
  sha: 'c'.repeat(40),
  url: 'https://api.github.com/repos/NodeBE4/society/git/trees/x',
  tree: [
    { path: '_config.yml', mode: '100644', type: 'blob', sha: '1'.repeat(40), size: 300, url: 'https://api.github.com/…' },
    { path: '_posts', mode: '040000', type: 'tree', sha: '2'.repeat(40), url: 'https://api.github.com/…' },
    { path: '_posts/2025-02-02-老楊到處說 "quoted" {braces}.md', mode: '100644', type: 'blob', sha: '3'.repeat(40), size: 2048, url: 'https://api.github.com/…' },
    { path: 'archived/2021-09-07/2021-09-07-承受不住.md', mode: '100644', type: 'blob', sha: '4'.repeat(40), url: 'https://api.github.com/…' },
    { path: 'README.md', mode: '100644', type: 'blob', sha: '5'.repeat(40), size: 10, url: 'https://api.github.com/…' },
  ],
  truncated: false,
});

describe('the tree listing read as it streams', () => {
  it('keeps the wanted blobs with their sha and size, and finds the site configuration', async () => {
    const client = http();
    const result = await readListing(client, streamed(listing), (path) => path.endsWith('.md') && path !== 'README.md', { trees: (path) => path === '_posts' });
    expect(result).toEqual({
      files: [
        { path: '_posts/2025-02-02-老楊到處說 "quoted" {braces}.md', sha: '3'.repeat(40), size: 2048 },
        { path: 'archived/2021-09-07/2021-09-07-承受不住.md', sha: '4'.repeat(40) },
      ],
      count: 2,
      configSha: '1'.repeat(40),
      truncated: false,
      trees: { _posts: '2'.repeat(40) },
    });
    expect(client.bytes).toBe(new TextEncoder().encode(listing).length);
  });

  it("gives a sub-tree's paths from the archive's root", async () => {
    const sub = JSON.stringify({ sha: 'd'.repeat(40), tree: [
      { path: '2021-09-07', mode: '040000', type: 'tree', sha: '6'.repeat(40) },
      { path: '2021-09-07/2021-09-07-a.md', mode: '100644', type: 'blob', sha: '7'.repeat(40), size: 5 },
    ], truncated: false });
    const result = await readListing(http(), streamed(sub), (path) => path.startsWith('archived/'), { prefix: 'archived', trees: () => true });
    expect(result.files).toEqual([{ path: 'archived/2021-09-07/2021-09-07-a.md', sha: '7'.repeat(40), size: 5 }]);
    expect(result.trees).toEqual({ 'archived/2021-09-07': '6'.repeat(40) });
  });

  it('keeps only the shas of the wanted blobs for a first sync', async () => {
    const result = await readListing(http(), streamed(listing), (path) => path.endsWith('.md') && path !== 'README.md', { shasOnly: true });
    expect(result).toMatchObject({ files: [], count: 2, configSha: '1'.repeat(40), truncated: false });
    expect(result.shas!.size).toBe(2);
    expect(result.shas!.get('archived/2021-09-07/2021-09-07-承受不住.md')).toBe('4'.repeat(40));
    expect(result.shas!.get('README.md')).toBeUndefined();
  });

  it('says when GitHub cut the listing short', async () => {
    const result = await readListing(http(), streamed(listing.replace('"truncated":false', '"truncated":true')), () => true);
    expect(result.truncated).toBe(true);
  });

  it('takes a body that broke off for a download to try again, not for an archive without posts', async () => {
    await expect(readListing(http(), streamed(listing, 400), () => true)).rejects.toMatchObject({ kind: 'offline', transient: true });
  });
});

describe('the tree listing read by its entries', () => {
  it('reads a listing written with spaces and newlines, and `truncated` before the tree as after it', async () => {
    const { truncated: _, ...rest } = JSON.parse(listing) as Record<string, unknown>;
    const spaced = JSON.stringify({ truncated: true, ...rest }, null, 2);
    const result = await readListing(http(), streamed(spaced), (path) => path.endsWith('.md') && path !== 'README.md');
    expect(result.files.map((f) => f.path)).toEqual(['_posts/2025-02-02-老楊到處說 "quoted" {braces}.md', 'archived/2021-09-07/2021-09-07-承受不住.md']);
    expect(result.truncated).toBe(true);
  });

  it('reads paths with escaped characters as JSON gives them', async () => {
    const escaped = listing.replace('承受不住', '\\u627f\\u53d7 \\\\ back\\tslash');
    const result = await readListing(http(), streamed(escaped), (path) => path.startsWith('archived/'));
    expect(result.files.map((f) => f.path)).toEqual(['archived/2021-09-07/2021-09-07-承受 \\ back\tslash.md']);
  });

  it('says what is wrong when the answer is not a listing, without waiting for its end', async () => {
    const notAListing = `{"tree":[${'"x",'.repeat(300_000)}]}`;
    await expect(readListing(http(), streamed(notAListing, Infinity, 4099), () => true)).rejects.toMatchObject({ kind: 'other', message: expect.stringContaining("list of the repository's files") });
  });

  it('reads the listing of 30,000 entries in any chunking the same as in one piece', async () => {
    const tree = Array.from({ length: 30_000 }, (_, i) => ({ path: `_posts/2021-01-01-帖子 ${i} {"x"}.md`, mode: '100644', type: 'blob', sha: i.toString(16).padStart(40, '0'), size: i, url: 'https://api.github.com/…' }));
    const text = JSON.stringify({ sha: 'c'.repeat(40), url: 'u', tree, truncated: false });
    const whole = await readListing(http(), new Response(text), () => true);
    // Pieces of an odd size: characters and entries are cut anywhere.
    const pieces = await readListing(http(), streamed(text, Infinity, 997), () => true);
    // All of it at once, as Firefox may hand over a listing: read a slice at a time, cut inside characters.
    const oneChunk = await readListing(http(), streamed(text, Infinity, Infinity), () => true);
    expect(whole.count).toBe(30_000);
    expect(pieces.files).toEqual(whole.files);
    expect(oneChunk.files).toEqual(whole.files);
    expect(whole.files[12_345]).toEqual({ path: '_posts/2021-01-01-帖子 12345 {"x"}.md', sha: (12_345).toString(16).padStart(40, '0'), size: 12_345 });
  });
});
