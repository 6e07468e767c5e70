// Entry of the "pokeshop-api" service process (started by demo/main.ts).
import { telemetry } from './tracing';
import { failService, runService } from '../lib/service-process';
import { serviceEnvironment } from '../shop/environment';
import { startApi } from './server';

const NAME = 'pokeshop-api';
runService(NAME, telemetry, () => startApi(serviceEnvironment(), (message) => failService(NAME, message)));
