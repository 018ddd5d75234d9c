/**
 * Serve the decorator-ordering exercise: `node --import=tsx examples/decorator-order/server.ts`
 * (port 8000, or PORT). Each request prints its steps, in order.
 *
 * @module
 */
import { createApp } from '../../src/app.ts';
import settings from './settings.ts';

const PORT = Number(process.env.PORT ?? 8000);
const app = await createApp(settings);
app.listen(PORT, () => console.log(`Decorator-order example on http://localhost:${PORT}/middleware/`));
