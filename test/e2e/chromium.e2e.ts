import { join } from 'node:path';
import { launchChromium } from './support/chromium';
import { defineScenarios } from './scenarios';

defineScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineSyncScenarios } from './sync-scenarios';

defineSyncScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineScaleScenarios, defineTeahouseSizeScenario } from './scale-scenarios';

defineTeahouseSizeScenario('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
defineScaleScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineGoneScenarios } from './gone-scenarios';

defineGoneScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineMarksScenarios } from './marks-scenarios';

defineMarksScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineSurfaceScenarios } from './surfaces-scenarios';

defineSurfaceScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineHeavyScenarios } from './heavy-scenarios';

defineHeavyScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
import { defineFollowedScenarios } from './followed-scenarios';

defineFollowedScenarios('chromium', launchChromium, join(import.meta.dirname, '../../dist/chrome'));
