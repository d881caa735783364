import { describe, expect, it } from 'vitest';
import { isPostFile, isSiteConfigPath, postPath } from './archive-files';

describe('which files of an archive are posts', () => {
  it('finds posts at the root or inside one wrapping folder (tarballs, zips, picked folders)', () => {
    expect(postPath('_posts/2025-01-29-x.md')).toBe('_posts/2025-01-29-x.md');
    expect(postPath('society-master/archived/2020-10-17/x.md')).toBe('archived/2020-10-17/x.md');
    expect(postPath('./archived/x.markdown')).toBe('archived/x.markdown');
    expect(postPath('a/b/_posts/x.md')).toBeNull();
    expect(postPath('_posts/x.txt')).toBeNull();
    expect(postPath('README.md')).toBeNull();
  });

  it('reads the folders a source names, recursively, in a repository tree', () => {
    expect(isPostFile('archived/2025-02-02/x.md', ['_posts', 'archived'])).toBe(true);
    expect(isPostFile('docs/x.md', ['_posts', 'archived'])).toBe(false);
    expect(isPostFile('docs/x.md', ['docs/'])).toBe(true);
    expect(isPostFile('_postsx/x.md', ['_posts'])).toBe(false);
  });

  it('never takes a path with `.` or `..` segments, empty segments or control characters', () => {
    expect(postPath('_posts/../../etc/x.md')).toBeNull();
    expect(postPath('repo/archived/./x.md')).toBeNull();
    expect(postPath('archived//x.md')).toBeNull();
    expect(postPath('archived/x\u0000.md')).toBeNull();
    expect(isPostFile('_posts/../x.md', ['_posts'])).toBe(false);
    expect(isPostFile('_posts/a/../../x.md', ['_posts'])).toBe(false);
    // Real post names hold backslashes.
    expect(postPath('archived/2022-04-25/2022-04-25-語文水平\\智力.md')).toBe('archived/2022-04-25/2022-04-25-語文水平\\智力.md');
  });

  it('finds the site configuration at the root or in the wrapping folder only', () => {
    expect(isSiteConfigPath('_config.yml')).toBe(true);
    expect(isSiteConfigPath('./teahouse-master/_config.yml')).toBe(true);
    expect(isSiteConfigPath('a/b/_config.yml')).toBe(false);
    expect(isSiteConfigPath('_posts/_config.yml.md')).toBe(false);
  });
});
