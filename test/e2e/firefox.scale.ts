// The scale scenarios too large for the default run (`npm run test:scale`):
// the heavy archive, and society ×32 followed as a published index, in
// Firefox. Society ×32's sync is not here: it synced once in
// 231 s (December 2026) and once, in a full run after the heavy archive,
// showed no result in 15 minutes; see issue 19's note.
import { join } from 'node:path';
import { launchFirefox } from './support/firefox';
import { defineHeavyArchiveScenario } from './scale-scenarios';

defineHeavyArchiveScenario('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineFollowedScenarios } from './followed-scenarios';

// Society ×32 followed as a published index: the Chromium run published it (kept beside the repository).
defineFollowedScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'), 32);
