// Newline-delimited JSON over loopback TCP: the wire protocol between the Pokéshop services and the stand-ins
// for their infrastructure (the database and the message broker), which live in the supervisor process.
import { createServer, connect, type Server, type Socket } from 'node:net';

export type Message = Record<string, unknown>;

/** Splits a byte stream into lines and parses each as a JSON object; a malformed line is reported, not thrown. */
function readLines(socket: Socket, onMessage: (message: Message) => void, onBadLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = undefined;
        }
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) onMessage(parsed as Message);
        else onBadLine(line);
      }
      newline = buffered.indexOf('\n');
    }
  });
}

function send(socket: Socket, message: Message): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

export interface Peer {
  send(message: Message): void;
  readonly id: number;
}

export interface LineServerHandlers {
  /** A request carries `id`; whatever is returned (or thrown, as `{error}`) is sent back with the same `id`. */
  request(message: Message, peer: Peer): Promise<Message> | Message;
  closed?(peer: Peer): void;
}

export interface LineServer {
  /** `127.0.0.1:port` */
  address: string;
  close(): Promise<void>;
}

export async function serveLines(handlers: LineServerHandlers): Promise<LineServer> {
  const sockets = new Set<Socket>();
  let nextPeer = 1;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const peer: Peer = { id: nextPeer++, send: (message) => send(socket, message) };
    readLines(
      socket,
      (message) => {
        void (async () => {
          let reply: Message;
          try {
            reply = await handlers.request(message, peer);
          } catch (error) {
            reply = { error: error instanceof Error ? error.message : String(error) };
          }
          send(socket, { ...reply, id: message['id'] });
        })();
      },
      (line) => send(socket, { error: `not a JSON object: ${line.slice(0, 80)}` }),
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      handlers.closed?.(peer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export class ConnectionClosedError extends Error {}

/** A client connection: request/reply matched by id, and unsolicited messages (those without an id) pushed to `onPush`. */
export class LineClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(reply: Message): void; reject(error: Error): void }>();
  private pushHandler: (message: Message) => void = () => {};
  private closedHandler: (error: Error) => void = () => {};
  private closing = false;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {
    readLines(
      socket,
      (message) => {
        const id = message['id'];
        const waiter = typeof id === 'number' ? this.pending.get(id) : undefined;
        if (!waiter) return this.pushHandler(message);
        this.pending.delete(id as number);
        if (typeof message['error'] === 'string') waiter.reject(new Error(message['error']));
        else waiter.resolve(message);
      },
      () => {},
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      const error = new ConnectionClosedError(`connection to ${address} closed`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      if (!this.closing) this.closedHandler(error);
    });
  }

  static connect(address: string): Promise<LineClient> {
    const [host, port] = splitAddress(address);
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new LineClient(socket, address));
      });
      socket.once('error', (error) => reject(new Error(`cannot connect to ${address}: ${error.message}`)));
    });
  }

  request(message: Message): Promise<Message> {
    if (this.socket.destroyed) return Promise.reject(new ConnectionClosedError(`connection to ${this.address} closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      send(this.socket, { ...message, id });
    });
  }

  onPush(handler: (message: Message) => void): void {
    this.pushHandler = handler;
  }

  /** Called once if the other side goes away (not after close()). */
  onClosed(handler: (error: Error) => void): void {
    this.closedHandler = handler;
  }

  close(): void {
    this.closing = true;
    this.socket.end();
    this.socket.destroy();
  }
}

/** `host:port` → [host, port]; throws a message naming the bad value. */
export function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a host:port address: "${address}"`);
  return [address.slice(0, colon), port];
}
