/**
 * Serve the ArgumentLogMiddleware example: `node --import=tsx examples/argument-log/server.ts`
 * (port 8000, or PORT). Each request to a view prints a `Calling ...` line.
 *
 * @module
 */
import { createApp } from '../../src/app.ts';
import settings from './settings.ts';

const PORT = Number(process.env.PORT ?? 8000);
const app = await createApp(settings);
app.listen(PORT, () => console.log(`ArgumentLogMiddleware example on http://localhost:${PORT}/`));
