import { log } from '../log';
import { startHandoffWorker } from './worker';
import { createDb } from '../db/client';
import { startReportScheduler } from '../reports/scheduler';

/**
 * `npm run worker`: delivers the hand-off outbox (HL7 v2 over MLLP, FHIR, BHXH XML0). Uses DATABASE_URL.
 * Any number of these may run at once, on any number of machines.
 */
async function main() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  const worker = await startHandoffWorker({ connectionString });
  const reports = startReportScheduler(createDb(connectionString, 2)); // the weekly Department of Health report
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'handoff worker stopping');
    reports.stop();
    await worker.stop().catch((e) => log.error({ err: (e as Error).message }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  log.error({ err: (error as Error).message }, 'handoff worker could not start');
  process.exit(1);
});
