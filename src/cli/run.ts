import { main } from './archive-lens';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`archive-lens: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
