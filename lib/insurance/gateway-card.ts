/**
 * The card data of a `KQNhanLichSuKCB2024` answer (spec §6.2), normalised to our formats:
 * dates 'YYYY-MM-DD' (or 'YYYY' for year-only birth dates), sex 'M'/'F', codes upper case, '' → absent.
 */
import { parseVnDate } from '../identity/dates';
import { decodeBhytCardCode, isValidBhxhNumber } from '../identity/bhyt-code';
import type { BenefitLevel } from '../identity/types';
import type { Sex } from '../codes';

export type GatewayCard = {
  cardCode?: string; // 15 characters when the gateway returns a valid code
  bhxhNumber?: string; // 10 digits (maSoBHXH)
  groupCode?: string;
  benefitLevel?: BenefitLevel; // from card code position 3
  fullName?: string;
  dateOfBirth?: string;
  sex?: Sex;
  address?: string;
  registeredFacility?: string; // maDKBD, 5 characters
  issuingAgency?: string; // cqBHXH
  validFrom?: string;
  validTo?: string;
  areaCode?: string; // maKV: K1/K2/K3
  fiveYearsFrom?: string; // ngayDu5Nam
  oldCardCode?: string; // maTheCu
  /** Filled when the gateway reports a re-issued card (003/004): maTheMoi, gtTheTuMoi, … */
  newCard?: {
    cardCode?: string;
    validFrom?: string;
    validTo?: string;
    registeredFacility?: string;
    registeredFacilityName?: string;
  };
};

type Raw = Record<string, unknown>;

function text(raw: Raw, key: string): string | undefined {
  const v = raw[key];
  if (typeof v !== 'string') return undefined;
  const s = v.normalize('NFC').trim();
  return s === '' || s === '-' ? undefined : s;
}

function date(raw: Raw, key: string, allowYearOnly = false): string | undefined {
  const s = text(raw, key);
  if (!s) return undefined;
  const parsed = parseVnDate(s, allowYearOnly);
  return parsed.ok ? parsed.value : undefined;
}

function facility(raw: Raw, key: string): string | undefined {
  const s = text(raw, key)
    ?.replace(/\s|[-–]/g, '')
    .toUpperCase();
  return s && /^\d{2}[0-9A-Z]{3}$/.test(s) ? s : undefined;
}

function cardCode(raw: Raw, key: string): string | undefined {
  const s = text(raw, key)?.replace(/\s/g, '').toUpperCase();
  return s && decodeBhytCardCode(s) ? s : undefined;
}

function sex(raw: Raw): Sex | undefined {
  const s = text(raw, 'gioiTinh')?.toLowerCase();
  if (s === 'nam' || s === '1') return 'M';
  if (s === 'nữ' || s === 'nu' || s === '2') return 'F';
  return undefined;
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Undefined when the answer carries no card data (e.g. 050, 060). */
export function normaliseGatewayCard(raw: Raw): GatewayCard | undefined {
  const code = cardCode(raw, 'maThe');
  const decoded = code ? decodeBhytCardCode(code) : undefined;
  const bhxh = text(raw, 'maSoBHXH');
  const newCard = compact({
    cardCode: cardCode(raw, 'maTheMoi'),
    validFrom: date(raw, 'gtTheTuMoi'),
    validTo: date(raw, 'gtTheDenMoi'),
    registeredFacility: facility(raw, 'maDKBDMoi'),
    registeredFacilityName: text(raw, 'tenDKBDMoi'),
  });
  const card: GatewayCard = compact({
    cardCode: code,
    bhxhNumber: bhxh && isValidBhxhNumber(bhxh) ? bhxh : decoded?.bhxhNumber,
    groupCode: decoded?.groupCode,
    benefitLevel: decoded?.benefitLevel,
    fullName: text(raw, 'hoTen'),
    dateOfBirth: date(raw, 'ngaySinh', true),
    sex: sex(raw),
    address: text(raw, 'diaChi'),
    registeredFacility: facility(raw, 'maDKBD'),
    issuingAgency: text(raw, 'cqBHXH'),
    validFrom: date(raw, 'gtTheTu'),
    validTo: date(raw, 'gtTheDen'),
    areaCode: text(raw, 'maKV')?.toUpperCase(),
    fiveYearsFrom: date(raw, 'ngayDu5Nam'),
    oldCardCode: cardCode(raw, 'maTheCu'),
    newCard: Object.keys(newCard).length ? newCard : undefined,
  });
  return Object.keys(card).length ? card : undefined;
}
