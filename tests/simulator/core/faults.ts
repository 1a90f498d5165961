import { connectorFaultBody } from '../connector/common.js';
import { dataverseFaultBody } from '../dataverse/routes.js';
import { graphFaultBody } from '../graph/common.js';
import { isRecord, SIMULATED_SERVICES, type ServiceName, type SimRequest, type SimResponse } from './http.js';
import { powerPlatformFaultBody } from '../power-platform/routes.js';
import { newId, type Fault, type SimContext, type SimulatorState } from './state.js';

/**
 * Injected faults (README "Control API"): the next `times` requests matching service, method and
 * path fragment (`pathIncludes`) or path end (`pathEndsWith`) get `status` (with the service's own error envelope unless `body` is given, and
 * `Retry-After` when asked), after `delayMs`, or a dropped connection. Without `status`, a fault
 * only delays the normal answer. With `afterHandling`, the service acts on the request first and
 * only the answer is lost (a gateway's 504 or a connection dropped on the way back): what a client
 * must read back before it calls the step failed (docs/api-contracts.md §8.1, issue #11).
 */
export function parseFault(body: unknown): Fault | string {
  if (!isRecord(body)) return 'a fault is a JSON object';
  const service = body['service'];
  if (typeof service !== 'string' || !SIMULATED_SERVICES.includes(service as ServiceName)) return `service must be one of ${SIMULATED_SERVICES.join(', ')}`;
  const status = body['status'];
  const delayMs = body['delayMs'];
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599))
    return 'status must be an HTTP status code';
  if (delayMs !== undefined && (typeof delayMs !== 'number' || delayMs < 0)) return 'delayMs must be a non-negative number';
  if (status === undefined && delayMs === undefined && body['dropConnection'] !== true) return 'a fault needs status, delayMs or dropConnection';
  const times = body['times'] ?? 1;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) return 'times must be a positive integer';
  const fault: Fault = { service: service as ServiceName, times };
  if (typeof body['method'] === 'string') fault.method = body['method'].toUpperCase();
  if (typeof body['pathIncludes'] === 'string') fault.pathIncludes = body['pathIncludes'];
  if (typeof body['pathEndsWith'] === 'string') fault.pathEndsWith = body['pathEndsWith'];
  if (status !== undefined) fault.status = status;
  if (typeof body['retryAfterSeconds'] === 'number') fault.retryAfterSeconds = body['retryAfterSeconds'];
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (body['body'] !== undefined) fault.body = body['body'];
  if (body['dropConnection'] === true) fault.dropConnection = true;
  if (body['afterHandling'] === true) fault.afterHandling = true;
  return fault;
}

function matches(fault: Fault, req: SimRequest): boolean {
  if (fault.service !== req.service) return false;
  if (fault.method && fault.method !== req.method) return false;
  const decoded = `/${req.segments.join('/')}`;
  if (fault.pathEndsWith && !req.path.endsWith(fault.pathEndsWith) && !decoded.endsWith(fault.pathEndsWith)) return false;
  if (!fault.pathIncludes) return true;
  return req.path.includes(fault.pathIncludes) || decoded.includes(fault.pathIncludes);
}

/** The first matching fault, counted down (and removed when used up). */
export function takeFault(state: SimulatorState, req: SimRequest): Fault | undefined {
  const fault = state.faults.find((f) => matches(f, req));
  if (!fault) return undefined;
  fault.times -= 1;
  if (fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
  return fault;
}

function defaultBody(ctx: SimContext, service: ServiceName, status: number): unknown {
  switch (service) {
    case 'graph':
      return graphFaultBody(ctx, status);
    case 'powerplatform':
      return powerPlatformFaultBody(status);
    case 'dataverse':
      return dataverseFaultBody(status);
    case 'connector':
      return connectorFaultBody(status);
    case 'entra':
      return {
        error: 'temporarily_unavailable',
        error_description: 'AADSTS50196: The server is temporarily unavailable (injected fault).',
        error_codes: [50196],
      };
    default:
      return { error: { code: 'InjectedFault', message: 'Injected fault.' } };
  }
}

/** The answer of a fault with a status, or undefined when it only delays. */
export function faultResponse(ctx: SimContext, fault: Fault): SimResponse | undefined {
  if (fault.dropConnection) return { status: 0, dropConnection: true };
  if (fault.status === undefined) return undefined;
  const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
  if (fault.service === 'powerplatform') headers['x-ms-correlation-id'] = newId();
  return { status: fault.status, headers, body: fault.body ?? defaultBody(ctx, fault.service, fault.status) };
}
