// The scale scenarios too large for the default run (`npm run test:scale`):
// the heavy archive, in Firefox. Society ×32 is not here yet: Firefox stays
// in "Listing the archive's files…" on its 162 MB tree listing (a listing
// real GitHub would truncate at 100,000 entries; see issue 19's note).
import { join } from 'node:path';
import { launchFirefox } from './support/firefox';
import { defineHeavyArchiveScenario } from './scale-scenarios';

defineHeavyArchiveScenario('firefox', launchFirefox, join(import.meta.dirname, '../../dist/firefox'));
