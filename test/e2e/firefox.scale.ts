// The scale scenarios too large for the default run (`npm run test:scale`):
// society ×32 and the heavy archive, in Firefox.
import { join } from 'node:path';
import { launchFirefox } from './support/firefox';
import { defineHeavyArchiveScenario, defineScaleScenarios } from './scale-scenarios';

const dist = join(import.meta.dirname, '../../dist/firefox');
defineHeavyArchiveScenario('firefox', launchFirefox, dist);
defineScaleScenarios('firefox', launchFirefox, dist, 32);
