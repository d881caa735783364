import { describe, expect, it } from 'vitest';
import { parsePost } from '../core/post';
import { toRecord } from './import';
import { toView } from './queries';
import type { SourceRecord } from './schema';

const text = `---
layout: post
title: 罗宾：疫苗与儿子
date: 2024-05-01 08:00:00 +0800
from: https://www.youtube.com/watch?v=dQw4w9WgXcQ
---
罗宾谈疫苗。
`;

function source(site: SourceRecord['site']): SourceRecord {
  // Frozen, as the shared copy of the sources is (db/sources-cache.ts).
  return Object.freeze({ id: 'github:a/b', kind: 'github', name: 'a/b', repo: { owner: 'a', name: 'b', branch: 'main' }, site, postCount: 1, failureCount: 0, importedAt: 0 });
}

describe('a post as a page is sent it', () => {
  it('links to the site of its source as the source is now, and to nowhere the site excludes', () => {
    const parsed = parsePost(text, '_posts/2024-05-01-robin.md');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const post = toRecord('github:a/b', 0, parsed.post);
    const first = source({ url: 'https://one.example', baseurl: '', permalink: '/:year/:title/' });
    const synced = source({ url: 'https://two.example', baseurl: '/blog', permalink: '/:year/:title/' });
    const excluding = source({ url: 'https://two.example', baseurl: '', permalink: '/:year/:title/', exclude: ['_p*s'] });
    expect(toView(post, first).postUrl).toBe('https://one.example/2024/robin/');
    // A sync that changed the site gives a new record: its links follow it.
    expect(toView(post, synced).postUrl).toBe('https://two.example/blog/2024/robin/');
    expect(toView(post, first).postUrl).toBe('https://one.example/2024/robin/');
    expect(toView(post, excluding).postUrl).toBeNull();
    expect(toView(post, synced).fileUrl).toBe('https://github.com/a/b/blob/main/_posts/2024-05-01-robin.md');
  });
});
