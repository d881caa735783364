// Run before the end-to-end tests: they need Debian's Chromium and Firefox ESR.
import { existsSync } from 'node:fs';

const browsers = [
  { name: 'Chromium', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', apt: 'chromium' },
  { name: 'Firefox ESR', path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', apt: 'firefox-esr' },
];
const missing = browsers.filter((b) => !existsSync(b.path));
if (missing.length) {
  console.error(
    `The end-to-end tests need ${missing.map((b) => `${b.name} (${b.path})`).join(' and ')}.\n` +
      `Install Debian's packages:  sudo apt-get update && sudo apt-get install -y ${missing.map((b) => b.apt).join(' ')} fonts-noto-cjk\n` +
      'or point CHROMIUM_PATH / FIREFOX_PATH at your own binaries.',
  );
  process.exit(1);
}
