/** The baseline of single-event ingest: Fastify's hello world, alone in its process, as the service runs. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
