import { join } from 'node:path';
import { launchFirefox } from './support/firefox';
import { defineScenarios } from './scenarios';

defineScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineSyncScenarios } from './sync-scenarios';

defineSyncScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineGoneScenarios } from './gone-scenarios';

defineGoneScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineMarksScenarios } from './marks-scenarios';

defineMarksScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineSurfaceScenarios } from './surfaces-scenarios';

defineSurfaceScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineScaleScenarios } from './scale-scenarios';

defineScaleScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineHeavyScenarios } from './heavy-scenarios';

defineHeavyScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
import { defineFollowedScenarios } from './followed-scenarios';

defineFollowedScenarios('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
