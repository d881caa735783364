// Runs the command-line tool in this process, with its output caught.
import { Writable } from 'node:stream';
import { main } from '../../src/cli/archive-lens';

export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _e, cb) { append(String(chunk)); cb(); } });
  const code = await main(args, sink((s) => (out += s)) as never, sink((s) => (err += s)) as never);
  return { code, out, err };
}
