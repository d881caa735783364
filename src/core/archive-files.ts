// Which files of an archive repository are posts, whatever the container
// (a folder, a tarball with one top folder, a zip).

export const DEFAULT_POST_FOLDERS = ['_posts', 'archived'] as const;

const POST_EXT_RE = /\.(md|markdown)$/i;
const MAX_PATH_CHARS = 1024;

/**
 * Paths come from archives written by strangers: a `.` or `..` segment, an
 * empty segment or a control character never names a post. (A backslash
 * can: real post names hold `\`.)
 */
function safeSegments(path: string): string[] | null {
  if (path.length > MAX_PATH_CHARS || /[\u0000-\u001f]/.test(path)) return null;
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  return parts;
}

/**
 * The path of a post relative to the repository root, or null when the file
 * is not a post. Tarballs from GitHub wrap everything in one top folder
 * (`repo-branch/`), which is dropped when it is not itself a post folder.
 */
export function postPath(rawPath: string, folders: readonly string[] = DEFAULT_POST_FOLDERS): string | null {
  const parts = safeSegments(rawPath.replace(/^\.\//, '').replace(/\/+$/, ''));
  if (!parts || parts.length < 2 || !POST_EXT_RE.test(parts[parts.length - 1]!)) return null;
  const at = parts.findIndex((p) => folders.includes(p));
  // Only the repository root or one wrapping folder may precede the post folder.
  if (at < 0 || at > 1) return null;
  return parts.slice(at).join('/');
}

/** A post file of a repository laid out at its root, in one of `folders` (read recursively). */
export function isPostFile(path: string, folders: readonly string[]): boolean {
  return POST_EXT_RE.test(path) && safeSegments(path) !== null && folders.some((f) => path.startsWith(`${f.replace(/\/+$/, '')}/`));
}

/** The Jekyll `_config.yml`, at the root or inside the one folder an archive file wraps everything in. */
export function isSiteConfigPath(rawPath: string): boolean {
  return /^(?:[^/]+\/)?_config\.yml$/.test(rawPath.replace(/^\.\//, ''));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a post's bytes; posts that are not UTF-8 are reported, not mangled. */
export function decodePostBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    return { ok: false, message: 'the file is not valid UTF-8 text' };
  }
}
