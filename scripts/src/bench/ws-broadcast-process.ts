/**
 * The fan-out baseline: a bare `ws` server that sends the messages POSTed to /broadcast (a JSON
 * array of strings) to every connected client, one message after the other — no rooms, no patches,
 * no store. Prints `{url}` when ready, SIGINT stops it.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const messages = JSON.parse(Buffer.concat(chunks).toString()) as string[];
    for (const message of messages) for (const client of wss.clients) client.send(message);
    res.end('ok');
  });
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.once('SIGINT', () => {
  wss.close();
  server.close(() => process.exit(0));
});
