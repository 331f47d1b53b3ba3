/**
 * The embedded runtime's own log lines (not a function's): one JSON line each on stderr, filtered by
 * POWERTOOLS_LOG_LEVEL like the handlers' logs, so tests that silence one silence both.
 */
const order = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'];

function write(level: string, message: string, fields: Record<string, unknown>): void {
  const threshold = order.indexOf((process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO').toUpperCase());
  if (order.indexOf(level) < threshold) return;
  process.stderr.write(`${JSON.stringify({ level, source: 'o2c-local', message, ...fields, timestamp: new Date().toISOString() })}\n`);
}

export const runtimeLog = {
  info: (message: string, fields: Record<string, unknown> = {}) => write('INFO', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('WARN', message, fields),
};
