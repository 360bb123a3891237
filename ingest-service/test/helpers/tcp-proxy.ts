/**
 * A TCP proxy for fault tests: the service talks to PostgreSQL or Redis through it, and the test
 * cuts the link (connections reset, new ones refused), blackholes it (connections stay open, no
 * byte gets through: a partition nobody tells about), or loses one answer, then restores it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

type Mode = 'open' | 'cut' | 'blackhole';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export class TcpProxy {
  private mode: Mode = 'open';
  private readonly pairs = new Set<Pair>();
  /** armed by `loseAnswerTo`: bytes the client sends that make the server's next answer vanish */
  private losePattern: Buffer | null = null;
  private lostAnswer: (() => void) | null = null;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | null = null;
    const server = createServer((client) => proxy!.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('proxy: no port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  /** `scheme://[user@]host:port/path` of `url` with the proxy's host and port instead. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Resets every open connection and refuses new ones, like a server that went away. */
  cut(): void {
    this.mode = 'cut';
    for (const pair of this.pairs) this.drop(pair);
  }

  /** Keeps connections open but lets nothing through, like a network that silently drops packets. */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  /** Lets connections through again; connections held by a blackhole are reset (their peer gave up). */
  restore(): void {
    if (this.mode === 'blackhole') for (const pair of this.pairs) this.drop(pair);
    this.mode = 'open';
  }

  /**
   * The next client message containing `pattern` reaches the server, but the server's answer is
   * lost and that connection reset: the client cannot know whether it was done. Resolves then.
   */
  loseAnswerTo(pattern: string): Promise<void> {
    this.losePattern = Buffer.from(pattern);
    return new Promise((resolve) => (this.lostAnswer = resolve));
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    if (this.mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    let answerToLose = false;
    client.on('data', (chunk: Buffer) => {
      if (this.mode !== 'open') return;
      if (this.losePattern && chunk.includes(this.losePattern)) {
        this.losePattern = null;
        answerToLose = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.mode !== 'open') return;
      if (answerToLose) {
        this.drop(pair);
        this.lostAnswer?.();
        this.lostAnswer = null;
        return;
      }
      client.write(chunk);
    });
    const end = () => this.drop(pair);
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }
}
