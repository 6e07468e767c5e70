// The message broker: named queues with at-least-once delivery, standing in for the RabbitMQ of the original
// Pokéshop. Producers publish and get a confirmation once the message is stored; consumers subscribe and ack each
// delivery; a consumer that goes away gets its unacknowledged messages redelivered to another. Not instrumented:
// the producer and consumer spans are made by the services' queue clients from the message headers.
import { serveLines, type LineServer, type Message, type Peer } from '../lib/line-socket';

export interface QueuedMessage {
  id: string;
  headers: Record<string, string>;
  body: string;
}

interface Delivery {
  tag: number;
  queue: string;
  message: QueuedMessage;
  consumer: Peer;
}

class Queue {
  readonly waiting: QueuedMessage[] = [];
  readonly consumers: Peer[] = [];
  private turn = 0;

  nextConsumer(): Peer | undefined {
    if (this.consumers.length === 0) return undefined;
    this.turn = (this.turn + 1) % this.consumers.length;
    return this.consumers[this.turn];
  }
}

export async function startBroker(): Promise<LineServer> {
  const queues = new Map<string, Queue>();
  const unacked = new Map<number, Delivery>();
  let nextTag = 1;

  const queueNamed = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) queues.set(name, (queue = new Queue()));
    return queue;
  };

  const dispatch = (name: string): void => {
    const queue = queueNamed(name);
    for (let consumer = queue.nextConsumer(); consumer && queue.waiting.length > 0; consumer = queue.nextConsumer()) {
      const message = queue.waiting.shift()!;
      const tag = nextTag++;
      unacked.set(tag, { tag, queue: name, message, consumer });
      consumer.send({ type: 'deliver', queue: name, deliveryTag: tag, message: { ...message } });
    }
  };

  return serveLines({
    request(request: Message, peer: Peer): Message {
      const op = request['op'];
      const name = typeof request['queue'] === 'string' ? request['queue'] : '';
      switch (op) {
        case 'publish': {
          const message = asQueuedMessage(request['message']);
          if (!name || !message) throw new Error('publish needs a queue name and a message {id, headers, body}');
          queueNamed(name).waiting.push(message);
          setImmediate(() => dispatch(name));
          return { ok: true };
        }
        case 'consume': {
          if (!name) throw new Error('consume needs a queue name');
          queueNamed(name).consumers.push(peer);
          setImmediate(() => dispatch(name));
          return { ok: true };
        }
        case 'ack': {
          const tag = request['deliveryTag'];
          if (typeof tag !== 'number' || !unacked.delete(tag)) throw new Error(`unknown delivery tag ${String(tag)}`);
          return { ok: true };
        }
        default:
          throw new Error(`unknown operation ${JSON.stringify(op)}: expected publish, consume or ack`);
      }
    },
    closed(peer: Peer) {
      const requeue = new Set<string>();
      for (const queue of queues.values()) {
        const at = queue.consumers.indexOf(peer);
        if (at >= 0) queue.consumers.splice(at, 1);
      }
      for (const delivery of unacked.values()) {
        if (delivery.consumer !== peer) continue;
        unacked.delete(delivery.tag);
        queueNamed(delivery.queue).waiting.unshift(delivery.message);
        requeue.add(delivery.queue);
      }
      for (const name of requeue) dispatch(name);
    },
  });
}

function asQueuedMessage(value: unknown): QueuedMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, headers, body } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof body !== 'string' || typeof headers !== 'object' || headers === null) return undefined;
  const textHeaders: Record<string, string> = {};
  for (const [key, header] of Object.entries(headers)) if (typeof header === 'string') textHeaders[key] = header;
  return { id, headers: textHeaders, body };
}
