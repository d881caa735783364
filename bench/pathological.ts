// Posts shaped to make a careless parser quadratic: each is about 2 MB (the
// parser's limit) and must parse in time of the same order as an ordinary
// post of that size. Used by `npm run bench` and by the core's unit tests
// (which check the results, never the time).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_CASES, seedText } from '../test/support/archives';

/** The largest real article (Matters HTML, 109,152 characters). */
const LARGEST_ARTICLE = join(EDGE_CASES, 'th/archived/2020-10-29/2020-10-29-山河 X 徐琳瑜 | 一個人的社會.md');

const SIZE = 1_900_000;
const head = (fields: string) => `---\nlayout: post\ntitle: "t"\n${fields}from: https://www.youtube.com/watch?v=-VWLP6-06Jc\ntags: [ 老楊到處說 ]\n---\n`;

/** Ordinary posts of about 2 MB: the yardsticks. */
export function ordinaryPosts(): { name: string; text: string }[] {
  const seed = seedText();
  const article = readFileSync(LARGEST_ARTICLE, 'utf8');
  const [, front = '', body = ''] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(article)!;
  const div = body.indexOf('<div>') + 5;
  const inner = body.slice(div, body.lastIndexOf('</div>'));
  return [
    { name: 'ordinary description (the seed post, padded)', text: (seed + '\n' + '字'.repeat(SIZE)).slice(0, SIZE) },
    { name: 'ordinary article (the largest, repeated)', text: `${front}${body.slice(0, div)}${inner.repeat(Math.ceil(SIZE / inner.length)).slice(0, SIZE)}</div>\n` },
  ];
}

export function pathologicalPosts(): { name: string; text: string }[] {
  return [
    { name: 'date line with inner spaces', text: `${head(`date: 2025-02-02${' '.repeat(SIZE)}x\n`)}body` },
    { name: 'a [..](.. line without a rule', text: `${head('date: 2025-02-02\n')}[${'](['.repeat(SIZE / 3)}` },
    { name: 'flow list of quoted items', text: `${head('date: 2025-02-02\n')}`.replace('tags: [ 老楊到處說 ]', `tags: [${'"a",'.repeat(SIZE / 4)}]`) + 'body' },
    { name: 'flow list of unclosed quotes', text: `${head('date: 2025-02-02\n')}`.replace('tags: [ 老楊到處說 ]', `categories: [${' "'.repeat(SIZE / 2)}`) + 'body' },
    { name: 'scalar with spaces before #', text: `${head(`author: a${' '.repeat(SIZE)}b\ndate: 2025-02-02\n`)}body` },
    { name: 'many rule-like lines', text: `${head('date: 2025-02-02\n')}${'-'.repeat(SIZE / 2)}x\n${'--- \n'.repeat(SIZE / 10)}` },
    { name: 'many </div> and spaces', text: `${head('date: 2025-02-02\n')}------\n<div>${'</div> \t'.repeat(SIZE / 8)}x` },
    { name: 'many stray < in HTML', text: `${head('date: 2025-02-02\n')}`.replace('watch?v=-VWLP6-06Jc', 'medium.com/p/1') + `------\n<div>${'<'.repeat(SIZE)}</div>` },
    { name: 'many stray <x in HTML', text: `${head('date: 2025-02-02\n')}`.replace('watch?v=-VWLP6-06Jc', 'medium.com/p/1') + `------\n<div>${'<x'.repeat(SIZE / 2)}</div>` },
    { name: 'many youtube links', text: `${head('date: 2025-02-02\n')}------\n<div>${'https://youtu.be/'.repeat(SIZE / 17)}</div>` },
    { name: 'a line of whitespace', text: `${head('date: 2025-02-02\n')}------\n<div>${' \t'.repeat(SIZE / 2)}x</div>` },
  ];
}
