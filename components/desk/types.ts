/** Shapes of the check-in API's answers, as the desk reads them. */
export type StoredPatient = {
  id: string; fullName: string; birthDate: string; sex: 'M' | 'F' | null; address: string | null; phone: string | null;
  identifiers: { system: string; value: string; retiredAt: string | null }[];
};
export type ScannedIdentity = {
  kind: string; variant?: string; personalId?: string; oldIdNumber?: string; fullName?: string; dateOfBirth?: string;
  sex?: 'M' | 'F'; address?: string; bhyt?: { cardCode?: string; bhxhNumber?: string; benefitLevel?: number; registeredFacility?: string; validTo?: string | null; groupCode?: string };
};
export type Warning = { code: string; message: string };
export type CheckinOk = {
  created: boolean; message: string; warnings: Warning[]; identity: ScannedIdentity | null; patient: StoredPatient;
  encounter: { id: string; number: string; queueNumber: number; roomCode: string; roomName: string; status: string; identificationMethod: string; trustLevel: string; payer: string; visitType: string; priority: string | null; bhytVerification: string | null; checkedInAt: string };
};
export type Candidate = { id: string; fullName: string; birthDate: string; sex: 'M' | 'F' | null; address: string | null; identifiers: { system: string; value: string }[] };
export type NotFound = { error: { code: string; message: string }; identity: ScannedIdentity | null; candidates: Candidate[]; warnings: Warning[] };
export type CheckinRequestOptions = { roomCode: string; visitType: 'OUTPATIENT' | 'EMERGENCY'; payer?: 'BHYT' | 'SELF_PAY'; priority?: string; source?: 'VNEID' };
