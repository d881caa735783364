// What building the set of archived videos costs at society ×32's size
// (490,000 video ids, as an index keeps them: 11 Latin-1 bytes each), the old
// way (a string per id, a Set of them) and the way db/marks.ts builds it now
// (their hash lanes, core/lane-set.ts). Not a test: `npx tsx scripts/probe/membership-build.ts`.
import { LaneSet } from '../../src/core/lane-set';
import { Membership } from '../../src/core/membership';

const n = Number(process.env.IDS ?? 490_000);
const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const bytes = new Uint8Array(n * 11);
for (let i = 0; i < bytes.length; i++) bytes[i] = chars.charCodeAt(Math.floor(Math.random() * 64));
const ms = (since: number) => (performance.now() - since).toFixed(0);

for (let round = 0; round < 3; round++) {
  let t = performance.now();
  const text = new TextDecoder('latin1').decode(bytes);
  const strings: string[] = [];
  for (let o = 0; o < n; o++) strings.push(text.slice(o * 11, o * 11 + 11));
  const made = ms(t);
  t = performance.now();
  const ids = new Set(strings);
  const set = ms(t);
  t = performance.now();
  const filter = Membership.build(ids, ids.size);
  const built = ms(t);
  t = performance.now();
  filter.toData();
  console.log(`strings: make ${made} ms, Set ${set} ms, filter ${built} ms, base64 ${ms(t)} ms`);

  t = performance.now();
  const lanes = new LaneSet();
  for (let o = 0; o < n; o++) lanes.addBytes(bytes, o * 11, o * 11 + 11);
  const filled = ms(t);
  t = performance.now();
  const fromLanes = Membership.fromLanes(lanes);
  const lanesBuilt = ms(t);
  t = performance.now();
  fromLanes.toData();
  console.log(`lanes: fill ${filled} ms, filter ${lanesBuilt} ms, base64 ${ms(t)} ms (${lanes.size} ids)`);
}
