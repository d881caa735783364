// `archive-lens check <folder | .tar.gz>`: reads an archive with the same core
// the extension uses and reports posts, videos, channels and every failure.
import { parseSiteConfig } from '../core/site';
import { decodePostBytes } from '../core/archive-files';
import { parsePost, type Post, type PostError } from '../core/post';
import { summarise } from '../core/summary';
import { readArchive } from './read-archive';
import { writeBundle } from './bundle';
import { publishIndex } from './publish';

async function bundle(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const input = argv[1];
  const output = option(argv, '-o') ?? option(argv, '--output');
  if (!input || input.startsWith('-') || !output) {
    err.write(USAGE);
    return 2;
  }
  try {
    const result = await writeBundle({ input, output, name: option(argv, '--name'), repo: option(argv, '--repo') });
    out.write(`wrote ${result.files} posts to ${output}\n`);
    for (const path of result.skipped) err.write(`  skipped ${path}: not UTF-8 text\n`);
    return 0;
  } catch (e) {
    err.write(`archive-lens: ${(e as Error).message}\n`);
    return 2;
  }
}

async function publish(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const input = argv[1];
  const dir = option(argv, '--out');
  if (!input || input.startsWith('-') || !dir) {
    err.write(USAGE);
    return 2;
  }
  try {
    const started = performance.now();
    const r = await publishIndex({ input, out: dir, name: option(argv, '--name'), repo: option(argv, '--repo') });
    const files = r.written + r.unchanged;
    out.write(`published ${r.manifest.posts} posts of ${r.manifest.videos} videos to ${dir}: ${files} files, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB `
      + `(${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed) in ${((performance.now() - started) / 1000).toFixed(1)} s; `
      + `search index in ${r.segments} segment${r.segments === 1 ? '' : 's'}; build ${r.manifest.build}\n`);
    for (const f of r.failures) err.write(`  ${f.path}: ${f.message}\n`);
    return r.failures.length ? 1 : 0;
  } catch (e) {
    err.write(`archive-lens: ${(e as Error).message}\n`);
    return 2;
  }
}

const USAGE = `Usage:
  archive-lens check <folder | archive.tar.gz> [--json] [--posts]
  archive-lens bundle <folder | archive.tar.gz> -o <archive.ndjson.gz> [--name NAME] [--repo owner/name[@branch]]
  archive-lens publish <folder | archive.tar.gz> --out <DIR> [--name NAME] [--repo owner/name[@branch]]

check   reads every post under _posts/ and archived/ and reports what the
        ArchiveLens extension would import, with every file it cannot read.
          --json    print one JSON document (summary, failures, and posts with --posts)
          --posts   list every post (date, video, channel, title)
bundle  writes the archive as one gzip'd NDJSON file to host anywhere (for
        example on GitHub Pages); ArchiveLens syncs it as a "bundle URL" source.
          --repo    the repository the posts come from, for "file in the archive" links
publish writes a static index of the archive into DIR, for its website: a
        manifest, a filter of archived videos, and lookup shards named by the
        first bits of SHA-256 of video ids. Only files whose bytes changed are
        rewritten.
`;

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  if (argv[0] === 'bundle') return bundle(argv, out, err);
  if (argv[0] === 'publish') return publish(argv, out, err);
  const args = argv.filter((a) => !a.startsWith('--'));
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  if (flags.has('--help') || args[0] !== 'check' || args.length !== 2) {
    (flags.has('--help') ? out : err).write(USAGE);
    return flags.has('--help') ? 0 : 2;
  }
  const posts: Post[] = [];
  const failures: PostError[] = [];
  try {
    let timeZone: string | undefined;
    for await (const file of readArchive(args[1]!, { withConfig: true })) {
      const decoded = decodePostBytes(file.bytes);
      if (file.path === '_config.yml') {
        // Folders and tarballs list it before _posts/ and archived/: it says the zone of dates without an offset.
        if (decoded.ok) timeZone = parseSiteConfig(decoded.text).timezone;
        continue;
      }
      if (!decoded.ok) {
        failures.push({ path: file.path, reason: 'not-utf8', message: decoded.message });
        continue;
      }
      const result = parsePost(decoded.text, file.path, { timeZone });
      if (result.ok) posts.push(result.post);
      else failures.push(result.error);
    }
  } catch (e) {
    err.write(`archive-lens: ${(e as Error).message}\n`);
    return 2;
  }
  const summary = summarise(posts, failures);
  if (flags.has('--json')) {
    const doc = flags.has('--posts')
      ? { ...summary, posts: posts.map(({ bodyHtml: _omit, ...p }) => p) }
      : summary;
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    if (flags.has('--posts')) {
      for (const p of posts) out.write(`${p.date.slice(0, 10)}  ${p.videoId ?? '-'.padEnd(11)}  ${p.channel}  ${p.title}\n`);
      out.write('\n');
    }
    out.write(
      [
        `files read        ${summary.files}`,
        `posts             ${summary.posts} (${summary.distinctPosts} after merging stale twins)`,
        `videos            ${summary.videos} (${summary.videosWithHistory} with more than one version)`,
        `posts of no video ${summary.postsWithoutVideo}`,
        `channels          ${summary.channels.length}`,
        ...summary.channels.map((c) => `  ${String(c.posts).padStart(6)}  ${c.name}`),
        `failures          ${failures.length}`,
        ...failures.map((f) => `  ${f.path}: ${f.message}`),
      ].join('\n') + '\n',
    );
  }
  return failures.length ? 1 : 0;
}
