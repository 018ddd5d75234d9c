/**
 * Serve the MinimumResponseMiddleware example: `node --import=tsx examples/minimum-response/server.ts`
 * (port 8000, or PORT).
 *
 * @module
 */
import { createApp } from '../../src/app.ts';
import settings from './settings.ts';

const PORT = Number(process.env.PORT ?? 8000);
const app = await createApp(settings);
app.listen(PORT, () => console.log(`MinimumResponseMiddleware example on http://localhost:${PORT}/`));
