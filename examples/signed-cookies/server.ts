/**
 * Serve the SignedCookiesMiddleware example: `node --import=tsx examples/signed-cookies/server.ts`
 * (site-wide signing), or with `PER_VIEW=1` (only `/theme/` signs). Port 8000, or PORT.
 *
 * @module
 */
import { createApp } from '../../src/app.ts';
import settings, { perViewSettings } from './settings.ts';

const PORT = Number(process.env.PORT ?? 8000);
const perView = process.env.PER_VIEW === '1';
const app = await createApp(perView ? perViewSettings : settings);
app.listen(PORT, () =>
  console.log(
    `SignedCookiesMiddleware example (${perView ? 'per view' : 'site-wide'}) on http://localhost:${PORT}/`,
  ),
);
