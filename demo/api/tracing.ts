// Loaded first by main.ts: the SDK must be running before `http` is required.
import { startTelemetry } from '../telemetry';

export const telemetry = startTelemetry('pokeshop-api');
