// Entry of the "pokeshop-rpc" service process (started by demo/main.ts).
import { telemetry } from './tracing';
import { failService, runService } from '../lib/service-process';
import { serviceEnvironment } from '../shop/environment';
import { startRpc } from './server';

const NAME = 'pokeshop-rpc';
runService(NAME, telemetry, () => startRpc(serviceEnvironment(), (message) => failService(NAME, message)));
