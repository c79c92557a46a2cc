/**
 * lib/identity — read every identity payload a Vietnamese reception desk meets (spec:
 * /work/shared/spec/identity-formats.md). Pure TypeScript: no I/O, no React, no HTTP, no database.
 */
export type {
  BenefitLevel,
  BhytInfo,
  Identity,
  IdentityError,
  IdentityKind,
  IdentityResult,
  IdentityVariant,
  IdentityWarning,
  ParseOptions,
} from './types';

export { parseIdentity } from './parse';

export { normalizePayload, normalizeVietnameseName, stripDiacritics, MAX_PAYLOAD_BYTES } from './normalize';
export { parseVnDate, toVietnameseDate, isValidCalendarDate } from './dates';
export { isValidPersonalId, isValidCmnd, decodePersonalId, type DecodedPersonalId } from './personal-id';
export {
  PROVINCES,
  lookupProvince,
  isForeignRegistrationCode,
  isKnownIdPrefix,
  isKnownBhytProvinceCode,
  type Province,
} from './provinces';
export {
  normalizeBhytCode,
  isValidBhytCardCode,
  isValidBhxhNumber,
  decodeBhytCardCode,
  maskBhytCardCode,
  type DecodedBhytCardCode,
} from './bhyt-code';
export { BHYT_GROUPS, lookupBhytGroup, type BhytGroup } from './bhyt-groups';
export { decodeHexUtf8, encodeHexUtf8 } from './hex';
export {
  IDENTIFIER_SYSTEMS,
  identifierSystems,
  isIdentifierSystem,
  maskIdentifier,
  type IdentifierSystem,
  type IdentifierValue,
} from './identifiers';
export { ERROR_MESSAGES, WARNING_MESSAGES, type IdentityErrorCode, type IdentityWarningCode } from './messages';
