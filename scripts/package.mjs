// `npm run package`: store-ready zips of both builds in dist/packages, plus
// the source archive AMO asks for. Uses web-ext's builder (it zips a folder
// as the stores expect, with the manifest at the root).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = 'dist/packages';
for (const target of ['chrome', 'firefox']) {
  if (!existsSync(`dist/${target}/manifest.json`)) {
    console.error(`dist/${target} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const filename = `archivelens-${target}-${version}.zip`;
  execFileSync('npx', ['web-ext', 'build', '--source-dir', `dist/${target}`, '--artifacts-dir', out, '--filename', filename, '--overwrite-dest'], { stdio: 'inherit' });
}
// Reviewers rebuild from source: everything git tracks, at HEAD.
execFileSync('git', ['archive', '--format=zip', `--output=${out}/archivelens-source-${version}.zip`, 'HEAD'], { stdio: 'inherit' });
console.log(`Packages written to ${out}/`);
