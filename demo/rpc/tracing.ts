// Loaded first by main.ts: the SDK must be running before `@grpc/grpc-js` is required.
import { startTelemetry } from '../telemetry';

export const telemetry = startTelemetry('pokeshop-rpc');
