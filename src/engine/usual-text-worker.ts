// A channel's usual text (db/boilerplate.ts, usualTextOf), found in a worker
// started for it and ended after it (background/usual-text-host.ts): the
// sample's packs it reads and throws away go with the worker, where Firefox's
// background page kept them for seconds after a sync.
import { usualTextOf, type UsualTextAsk } from '../db/boilerplate';
import type { Boilerplate } from '../core/boilerplate';
import { withOwnArchive } from '../db/schema';
import { answerWith } from './own-worker';

answerWith<UsualTextAsk, Boilerplate>((ask) => withOwnArchive(ask.dbName, (db) => usualTextOf(db, ask.channel, ask.sample)));
