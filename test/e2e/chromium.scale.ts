// The scale scenarios too large for the default run (`npm run test:scale`):
// society ×32 and the heavy archive, in Chromium.
import { join } from 'node:path';
import { launchChromium } from './support/chromium';
import { defineHeavyArchiveScenario, defineScaleScenarios } from './scale-scenarios';

const dist = join(import.meta.dirname, '../../dist/chrome');
defineHeavyArchiveScenario('chromium', launchChromium, dist);
defineScaleScenarios('chromium', launchChromium, dist, 32);
