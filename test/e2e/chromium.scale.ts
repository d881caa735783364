// The scale scenarios too large for the default run (`npm run test:scale`):
// society ×32 (synced, and followed as a published index) and the heavy
// archive, in Chromium.
import { join } from 'node:path';
import { launchChromium } from './support/chromium';
import { defineHeavyArchiveScenario, defineScaleScenarios } from './scale-scenarios';

const dist = join(import.meta.dirname, '../../dist/chrome');
defineHeavyArchiveScenario('chromium', launchChromium, dist);
defineScaleScenarios('chromium', launchChromium, dist, 32);
import { defineFollowedScenarios } from './followed-scenarios';

// Last: it publishes from the ×32 repository the sync above made.
defineFollowedScenarios('chromium', launchChromium, dist, 32);
