import 'fake-indexeddb/auto';
import { resetFakeBrowser } from './fake-browser';
import { beforeEach } from 'vitest';

beforeEach(() => resetFakeBrowser());
