/**
 * Every route module under app/api, by its URL path (OpenAPI style: `[id]` → `{id}`). The HTTP API's description
 * (app/_lib/openapi.ts) is built from these modules' handlers; app/_lib/openapi.test.ts checks this list against the
 * route files on disk, so a new route that is not here fails the test.
 */
import * as authNextauth from '@/app/api/auth/[...nextauth]/route';
import * as healthReady from '@/app/api/health/ready/route';
import * as health from '@/app/api/health/route';
import * as metrics from '@/app/api/metrics/route';
import * as apiKeysId from '@/app/api/v1/api-keys/[id]/route';
import * as apiKeys from '@/app/api/v1/api-keys/route';
import * as auditBreakGlass from '@/app/api/v1/audit/break-glass/route';
import * as bhytUnverified from '@/app/api/v1/bhyt/unverified/route';
import * as bhytVerify from '@/app/api/v1/bhyt/verify/route';
import * as checkinsCandidatesReveal from '@/app/api/v1/checkins/candidates/reveal/route';
import * as checkins from '@/app/api/v1/checkins/route';
import * as encountersIdHandoffs from '@/app/api/v1/encounters/[id]/handoffs/route';
import * as encountersIdSlipPrinted from '@/app/api/v1/encounters/[id]/slip-printed/route';
import * as encounters from '@/app/api/v1/encounters/route';
import * as handoffsIdRetry from '@/app/api/v1/handoffs/[id]/retry/route';
import * as handoffsRetryParked from '@/app/api/v1/handoffs/retry-parked/route';
import * as helpdesk from '@/app/api/v1/helpdesk/route';
import * as identify from '@/app/api/v1/identify/route';
import * as intake from '@/app/api/v1/intake/route';
import * as kioskCheckin from '@/app/api/v1/kiosk/checkin/route';
import * as kioskPair from '@/app/api/v1/kiosk/pair/route';
import * as kioskReprint from '@/app/api/v1/kiosk/reprint/route';
import * as kioskRooms from '@/app/api/v1/kiosk/rooms/route';
import * as kioskScan from '@/app/api/v1/kiosk/scan/route';
import * as kioskVisitsId from '@/app/api/v1/kiosk/visits/[id]/route';
import * as kiosksIdPairingCode from '@/app/api/v1/kiosks/[id]/pairing-code/route';
import * as kiosksId from '@/app/api/v1/kiosks/[id]/route';
import * as kiosks from '@/app/api/v1/kiosks/route';
import * as mePassword from '@/app/api/v1/me/password/route';
import * as me from '@/app/api/v1/me/route';
import * as patientImportsIdConflicts from '@/app/api/v1/patient-imports/[id]/conflicts/route';
import * as patientImportsIdReport from '@/app/api/v1/patient-imports/[id]/report/route';
import * as patientImportsId from '@/app/api/v1/patient-imports/[id]/route';
import * as patientImports from '@/app/api/v1/patient-imports/route';
import * as patientImportsStart from '@/app/api/v1/patient-imports/start/route';
import * as patientsIdBreakGlass from '@/app/api/v1/patients/[id]/break-glass/route';
import * as patientsIdDemographics from '@/app/api/v1/patients/[id]/demographics/route';
import * as patientsIdIdentifiers from '@/app/api/v1/patients/[id]/identifiers/route';
import * as patientsId from '@/app/api/v1/patients/[id]/route';
import * as patientsMerge from '@/app/api/v1/patients/merge/route';
import * as patientsMergesMergeidUnmerge from '@/app/api/v1/patients/merges/[mergeId]/unmerge/route';
import * as patients from '@/app/api/v1/patients/route';
import * as reportsIntake from '@/app/api/v1/reports/intake/route';
import * as reportsWeeklyId from '@/app/api/v1/reports/weekly/[id]/route';
import * as reportsWeekly from '@/app/api/v1/reports/weekly/route';
import * as settingsHisProbe from '@/app/api/v1/settings/his/probe/route';
import * as settingsHis from '@/app/api/v1/settings/his/route';
import * as usersIdAccount from '@/app/api/v1/users/[id]/account/route';
import * as usersIdRoom from '@/app/api/v1/users/[id]/room/route';
import * as users from '@/app/api/v1/users/route';

export const API_ROUTES: Record<string, Record<string, unknown>> = {
  '/api/auth/{nextauth}': authNextauth,
  '/api/health/ready': healthReady,
  '/api/health': health,
  '/api/metrics': metrics,
  '/api/v1/api-keys/{id}': apiKeysId,
  '/api/v1/api-keys': apiKeys,
  '/api/v1/audit/break-glass': auditBreakGlass,
  '/api/v1/bhyt/unverified': bhytUnverified,
  '/api/v1/bhyt/verify': bhytVerify,
  '/api/v1/checkins/candidates/reveal': checkinsCandidatesReveal,
  '/api/v1/checkins': checkins,
  '/api/v1/encounters/{id}/handoffs': encountersIdHandoffs,
  '/api/v1/encounters/{id}/slip-printed': encountersIdSlipPrinted,
  '/api/v1/encounters': encounters,
  '/api/v1/handoffs/{id}/retry': handoffsIdRetry,
  '/api/v1/handoffs/retry-parked': handoffsRetryParked,
  '/api/v1/helpdesk': helpdesk,
  '/api/v1/identify': identify,
  '/api/v1/intake': intake,
  '/api/v1/kiosk/checkin': kioskCheckin,
  '/api/v1/kiosk/pair': kioskPair,
  '/api/v1/kiosk/reprint': kioskReprint,
  '/api/v1/kiosk/rooms': kioskRooms,
  '/api/v1/kiosk/scan': kioskScan,
  '/api/v1/kiosk/visits/{id}': kioskVisitsId,
  '/api/v1/kiosks/{id}/pairing-code': kiosksIdPairingCode,
  '/api/v1/kiosks/{id}': kiosksId,
  '/api/v1/kiosks': kiosks,
  '/api/v1/me/password': mePassword,
  '/api/v1/me': me,
  '/api/v1/patient-imports/{id}/conflicts': patientImportsIdConflicts,
  '/api/v1/patient-imports/{id}/report': patientImportsIdReport,
  '/api/v1/patient-imports/{id}': patientImportsId,
  '/api/v1/patient-imports': patientImports,
  '/api/v1/patient-imports/start': patientImportsStart,
  '/api/v1/patients/{id}/break-glass': patientsIdBreakGlass,
  '/api/v1/patients/{id}/demographics': patientsIdDemographics,
  '/api/v1/patients/{id}/identifiers': patientsIdIdentifiers,
  '/api/v1/patients/{id}': patientsId,
  '/api/v1/patients/merge': patientsMerge,
  '/api/v1/patients/merges/{mergeId}/unmerge': patientsMergesMergeidUnmerge,
  '/api/v1/patients': patients,
  '/api/v1/reports/intake': reportsIntake,
  '/api/v1/reports/weekly/{id}': reportsWeeklyId,
  '/api/v1/reports/weekly': reportsWeekly,
  '/api/v1/settings/his/probe': settingsHisProbe,
  '/api/v1/settings/his': settingsHis,
  '/api/v1/users/{id}/account': usersIdAccount,
  '/api/v1/users/{id}/room': usersIdRoom,
  '/api/v1/users': users,
};
