import pino, { type Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log object: tokens and secrets never reach logs. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  'password',
  '*.password',
  'assertion',
  '*.assertion',
  'value.token',
  'activity.value.token',
];

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'elevate' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export type { Logger };
