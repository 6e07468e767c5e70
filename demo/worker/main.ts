// Entry of the "pokeshop-worker" service process (started by demo/main.ts).
import { telemetry } from './tracing';
import { failService, runService } from '../lib/service-process';
import { serviceEnvironment } from '../shop/environment';
import { startWorker } from './worker';

const NAME = 'pokeshop-worker';
runService(NAME, telemetry, () => startWorker(serviceEnvironment(), (message) => failService(NAME, message)));
