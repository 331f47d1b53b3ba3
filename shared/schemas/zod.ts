/**
 * zod for every schema: `zod/mini` (a function bundles only the checks it uses: about 12 KiB and under a millisecond at
 * import, where zod classic is 85 KiB and 6–9 ms), with the English messages classic installs by itself. Import it
 * as `import * as z from '#schemas/zod'`, never `zod` or `zod/mini` directly (a unit test checks): importing `z` from
 * here configures the messages before any schema parses, so a 400, a quarantine report or a configuration error
 * reads the same in every function. The locale comes from its own module: `z.locales` would bundle every language.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
