// The `kafka` trigger is checked like any other (variables, brokers, topic) so a file is ready for when it is
// supported, then reported as not supported: sending needs a Kafka client, which Tracelens does not include.
import type { KafkaTrigger } from '../../core/testfile/model';
import { Interpolator } from './interpolate';
import { failed } from './outcome';
import type { TriggerOutcome, TriggerRequest } from './types';

const FIELD = 'trigger.kafka';
export const KAFKA_NOT_SUPPORTED = 'kafka triggers are not supported yet: they need a Kafka client, which Tracelens does not include';

export function runKafka(request: TriggerRequest, trigger: KafkaTrigger): TriggerOutcome {
  const render = Interpolator.for(request);
  const brokers = trigger.brokerUrls.map((b, i) => render.text(b, `${FIELD}.brokerUrls[${i}]`));
  const topic = render.text(trigger.topic, `${FIELD}.topic`);
  render.pairs(trigger.headers, `${FIELD}.headers`);
  render.optional(trigger.messageKey, `${FIELD}.messageKey`);
  render.optional(trigger.messageValue, `${FIELD}.messageValue`);
  if (trigger.authentication) {
    render.text(trigger.authentication.plain.username, `${FIELD}.authentication.plain.username`);
    render.text(trigger.authentication.plain.password, `${FIELD}.authentication.plain.password`);
  }
  if (render.failure) return { ok: false, error: render.failure };

  if (brokers.length === 0) return failed(`${FIELD}.brokerUrls: at least one broker (host:port) is needed`);
  const bad = brokers.findIndex((b) => !isBrokerAddress(b.trim()));
  if (bad >= 0) return failed(`${FIELD}.brokerUrls[${bad}]: \`${brokers[bad]}\` is not a broker address (host:port)`);
  if (topic.trim() === '') return failed(`${FIELD}.topic: the topic is empty`);
  return failed(KAFKA_NOT_SUPPORTED);
}

/** `host:port` or `[ipv6]:port`, optionally with a scheme such as `kafka://` or `SASL_SSL://`. */
function isBrokerAddress(text: string): boolean {
  const address = text.replace(/^[A-Za-z][A-Za-z0-9+._-]*:\/\//, '');
  const match = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(address);
  return match !== null && Number(match[1]) > 0 && Number(match[1]) < 65536;
}
