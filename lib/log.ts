import pino from 'pino';

/**
 * Structured JSON logs. Never pass ID numbers, names, addresses or health data:
 * log ids (uuid), codes and counts only. The redact list is a safety net, not a licence.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { app: 'tiep-don' },
  redact: {
    paths: ['password', '*.password', 'raw', '*.raw', 'fullName', '*.fullName', 'personalId', '*.personalId', 'address', '*.address', 'authorization', '*.authorization'],
    censor: '[redacted]',
  },
});
