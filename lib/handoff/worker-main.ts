import os from 'node:os';
import { log } from '../log';
import { isReleasedRunnerError, startHandoffWorker } from './worker';
import { createDb } from '../db/client';
import { startReportScheduler } from '../reports/scheduler';
import { exitWithParent } from '../ops/lifeline';
import { startBackupScheduler } from '../ops/backup-schedule';

/**
 * `npm run worker`: delivers the hand-off outbox (HL7 v2 over MLLP, FHIR, BHXH XML0). Uses DATABASE_URL.
 * Any number of these may run at once, on any number of machines.
 */
// A job runner's release failing after its database went away is expected (see isReleasedRunnerError): logged,
// and the worker goes on. Anything else unhandled: exit 1, and the launcher starts a new worker.
const unhandled = (kind: string) => (error: unknown) => {
  if (isReleasedRunnerError(error)) {
    log.warn(
      { err: (error as Error).message },
      'a replaced job runner could not return its jobs (they are unlocked later)',
    );
    return;
  }
  log.fatal({ err: error instanceof Error ? error.stack : String(error) }, `handoff worker: ${kind}`);
  process.exit(1);
};
process.on('unhandledRejection', unhandled('unhandled rejection'));
process.on('uncaughtException', unhandled('uncaught exception'));

async function main() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  // The desk first: on a shared server the worker runs at a lower CPU priority (nice 5 by default: about a third
  // of the web server's weight, enough to keep up with live check-ins), so a backlog drained after a HIS outage
  // cannot take the desk's share of the CPU. HANDOFF_NICE=0 turns this off.
  const nice = Number(process.env.HANDOFF_NICE ?? 5);
  try {
    if (nice) os.setPriority(Math.max(-20, Math.min(19, nice)));
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not lower the worker priority');
  }
  const worker = await startHandoffWorker({ connectionString });
  const reports = startReportScheduler(createDb(connectionString, 2)); // the weekly Department of Health report
  // The embedded database's nightly backups (the launcher gives BACKUP_DIR only then: lib/ops/backup-schedule.ts).
  const backups = process.env.BACKUP_DIR ? startBackupScheduler(connectionString, process.env.BACKUP_DIR) : null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'handoff worker stopping');
    reports.stop();
    await backups?.stop();
    await worker.stop().catch((e) => log.error({ err: (e as Error).message }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  exitWithParent(stop); // started by `npm start`: end with it
}

main().catch((error) => {
  log.error({ err: (error as Error).message }, 'handoff worker could not start');
  process.exit(1);
});
