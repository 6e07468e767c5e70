// Sending a test's trigger (test-format.md "Triggers"): every field is rendered first and nothing is sent when one
// cannot be; every trigger that sends something carries the run's trace context.
import { runGraphql } from './graphql';
import { runGrpc } from './grpc';
import { runHttp } from './http';
import { runKafka } from './kafka';
import { errorText, failed } from './outcome';
import { runPlaywrightEngine } from './playwright/playwright-trigger';
import { runTraceId } from './traceid';
import type { TriggerOutcome, TriggerRequest } from './types';

export { newTraceContext } from './context';
export type { PlaywrightOptions, TraceContext, TriggerFailure, TriggerOutcome, TriggerRequest, TriggerResponse } from './types';

export async function runTrigger(request: TriggerRequest): Promise<TriggerOutcome> {
  const { trigger } = request;
  try {
    switch (trigger.type) {
      case 'http':
        return await runHttp(request, trigger);
      case 'graphql':
        return await runGraphql(request, trigger);
      case 'grpc':
        return await runGrpc(request, trigger);
      case 'kafka':
        return runKafka(request, trigger);
      case 'playwrightengine':
        return await runPlaywrightEngine(request, trigger);
      case 'traceid':
      case 'cypress':
      case 'playwright':
      case 'k6':
      case 'artillery':
        return runTraceId(request, trigger);
    }
  } catch (error) {
    // Every expected problem is already a value; this keeps a bug from taking the whole run down.
    return failed(`${trigger.type} trigger failed unexpectedly: ${errorText(error)}`);
  }
}
