import { describe, expect, it } from 'vitest';
import { classifyResponse, gitBlobSha, parseRepoInput, readRateLimit } from './github';

const headers = (h: Record<string, string>) => new Headers(h);

describe('naming a repository', () => {
  it.each([
    ['NodeBE4/teahouse', { owner: 'NodeBE4', repo: 'teahouse' }],
    [' NodeBE4/society ', { owner: 'NodeBE4', repo: 'society' }],
    ['https://github.com/NodeBE4/teahouse', { owner: 'NodeBE4', repo: 'teahouse' }],
    ['github.com/NodeBE4/teahouse.git', { owner: 'NodeBE4', repo: 'teahouse' }],
    ['git@github.com:NodeBE4/teahouse.git', { owner: 'NodeBE4', repo: 'teahouse' }],
    ['https://github.com/NodeBE4/teahouse/tree/master/archived', { owner: 'NodeBE4', repo: 'teahouse', branch: 'master/archived' }],
    ['https://github.com/NodeBE4/teahouse/blob/master/README.md', { owner: 'NodeBE4', repo: 'teahouse' }],
  ])('%s', (input, expected) => expect(parseRepoInput(input)).toEqual(expected));

  it.each(['', 'teahouse', 'a/b/c', 'https://gitlab.com/a/b', 'NodeBE4/tea house', '../x', 'owner/..'])('rejects %j', (input) => {
    expect(parseRepoInput(input)).toBeNull();
  });
});

describe('GitHub answers in the user’s words', () => {
  const ctx = { repo: 'NodeBE4/teahouse', hasToken: false };

  it('reads the rate-limit headers', () => {
    expect(readRateLimit(headers({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1790000000' }))).toEqual({
      limit: 60, remaining: 0, resetAt: 1790000000000,
    });
    expect(readRateLimit(headers({}))).toBeNull();
  });

  it('explains a used-up rate limit with its reset time and a token hint', () => {
    const error = classifyResponse(403, headers({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1790000000' }), '{"message":"API rate limit exceeded"}', ctx)!;
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt).toBe(1790000000000);
    expect(error.message).toMatch(/until .*token/);
    expect(classifyResponse(429, headers({ 'retry-after': '30' }), '', { ...ctx, hasToken: true })!.message).not.toMatch(/token/);
  });

  it('tells permanent failures from transient ones', () => {
    expect(classifyResponse(404, headers({}), '', ctx)).toMatchObject({ kind: 'not-found', transient: false });
    expect(classifyResponse(401, headers({}), '', ctx)).toMatchObject({ kind: 'unauthorized', transient: false });
    expect(classifyResponse(409, headers({}), '', ctx)).toMatchObject({ kind: 'empty' });
    expect(classifyResponse(451, headers({}), '', ctx)).toMatchObject({ kind: 'blocked' });
    expect(classifyResponse(502, headers({}), '', ctx)).toMatchObject({ kind: 'server', transient: true });
    expect(classifyResponse(200, headers({}), '', ctx)).toBeNull();
  });
});

describe('git blob shas', () => {
  it('match `git hash-object`', async () => {
    // printf 'hello\n' | git hash-object --stdin
    expect(gitBlobSha(new TextEncoder().encode('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobSha(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});
