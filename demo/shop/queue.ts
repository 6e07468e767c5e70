// The services' message-queue client, with spans following the OpenTelemetry messaging semantic conventions:
// a PRODUCER span around each publish, whose context travels in the message headers (W3C traceparent via the
// configured propagator), and a CONSUMER span around each processing, parented to and linked with the producer's
// context, so the worker's spans land in the trace of the request that enqueued the message.
//
// Names and attributes follow the messaging conventions as the stock instrumentations emit them today: span name
// "{destination} {operation}", messaging.operation (publish / process) alongside the newer
// messaging.operation.type (send / process).
import { randomUUID } from 'node:crypto';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Link } from '@opentelemetry/api';
import { LineClient, splitAddress, type Message } from '../lib/line-socket';
import { errorMessage, recordFailure, tracer } from './tracer';

/** Not one of the conventions' well-known systems: the demo's own broker. */
export const MESSAGING_SYSTEM = 'demo-queue';

interface Delivery {
  deliveryTag: number;
  queue: string;
  message: { id: string; headers: Record<string, string>; body: string };
}

export interface ConsumeOptions {
  /** Wait this long after a delivery before processing it: the work queue's latency. */
  delayMs: number;
}

export class QueueClient {
  private readonly inFlight = new Set<Promise<void>>();
  private draining = false;

  private constructor(private readonly client: LineClient) {}

  static async connect(address: string): Promise<QueueClient> {
    return new QueueClient(await LineClient.connect(address));
  }

  onClosed(handler: (error: Error) => void): void {
    this.client.onClosed(handler);
  }

  /** Publishes a JSON message and resolves with its id once the broker has stored it. */
  publish(queue: string, payload: unknown): Promise<string> {
    const id = randomUUID();
    const body = JSON.stringify(payload);
    return tracer.startActiveSpan(
      `${queue} publish`,
      { kind: SpanKind.PRODUCER, attributes: { ...this.attributes(queue, id, body), 'messaging.operation': 'publish', 'messaging.operation.type': 'send' } },
      async (span) => {
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        try {
          await this.client.request({ op: 'publish', queue, message: { id, headers, body } });
          return id;
        } catch (error) {
          recordFailure(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** Processes every message of the queue with `handle`; a message is acknowledged after handling, even a failed one. */
  async consume(queue: string, handle: (payload: unknown) => Promise<void>, options: ConsumeOptions): Promise<void> {
    this.client.onPush((push: Message) => {
      if (push['type'] !== 'deliver' || push['queue'] !== queue) return;
      // Once draining, new deliveries stay unacknowledged: the broker hands them to another consumer.
      if (this.draining) return;
      const delivery = push as unknown as Delivery;
      const work = new Promise<void>((resolve) => setTimeout(resolve, options.delayMs))
        .then(() => this.process(delivery, handle))
        .catch((error: unknown) => process.stderr.write(`queue ${queue}: ${errorMessage(error)}\n`))
        .then(() => {});
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    await this.client.request({ op: 'consume', queue });
  }

  /** Stops taking deliveries and waits for the messages being processed, so their spans end before exit. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    this.client.close();
  }

  private async process(delivery: Delivery, handle: (payload: unknown) => Promise<void>): Promise<void> {
    const { queue, message } = delivery;
    const producer = propagation.extract(ROOT_CONTEXT, message.headers);
    const producerSpan = trace.getSpanContext(producer);
    const links: Link[] = producerSpan ? [{ context: producerSpan }] : [];
    await tracer.startActiveSpan(
      `${queue} process`,
      {
        kind: SpanKind.CONSUMER,
        links,
        attributes: { ...this.attributes(queue, message.id, message.body), 'messaging.operation': 'process', 'messaging.operation.type': 'process' },
      },
      producer,
      async (span) => {
        try {
          await handle(JSON.parse(message.body));
        } catch (error) {
          recordFailure(span, error);
        } finally {
          span.end();
        }
      },
    );
    await this.client.request({ op: 'ack', deliveryTag: delivery.deliveryTag }).catch(() => {
      // The connection is gone: the broker redelivers the message to the next consumer.
    });
  }

  private attributes(queue: string, id: string, body: string) {
    const [host, port] = splitAddress(this.client.address);
    return {
      'messaging.system': MESSAGING_SYSTEM,
      'messaging.destination.name': queue,
      'messaging.message.id': id,
      'messaging.message.body.size': Buffer.byteLength(body),
      'server.address': host,
      'server.port': port,
    };
  }
}
