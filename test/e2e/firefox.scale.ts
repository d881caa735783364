// The scale scenarios too large for the default run (`npm run test:scale`):
// the heavy archive, society ×32 synced, and society ×32 followed as a
// published index, in Firefox. Society ×32's sync once showed no result in
// 15 minutes after the heavy archive: GitHub's listing (here git's, from a
// cold disk) took 50 s to begin and Firefox ended the event page 30 s into
// the wait; a running sync now writes its progress every 10 s (issue 19).
import { join } from 'node:path';
import { launchFirefox } from './support/firefox';
import { defineHeavyArchiveScenario, defineScaleScenarios } from './scale-scenarios';
import { defineFollowedScenarios } from './followed-scenarios';

const dist = join(import.meta.dirname, '../../dist/firefox');
defineHeavyArchiveScenario('firefox', launchFirefox, dist);
defineScaleScenarios('firefox', launchFirefox, dist, 32);
// Society ×32 followed as a published index: the Chromium run published it (kept beside the repository).
defineFollowedScenarios('firefox', launchFirefox, dist, 32);
