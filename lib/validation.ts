import { z } from 'zod';
import { cleanText } from './identity/normalize';

// Validation messages reach receptionists and integrators: Vietnamese by default (zod's own locale),
// with our own wording where a field needs it.
z.config(z.locales.vi());

/**
 * Every free-text field people or devices send (names, addresses, reasons, notes, labels) is this schema: control
 * characters (C0, DEL, C1) and lone surrogates removed, line breaks and tabs turned into single spaces, NFC,
 * trimmed — before the length checks chained after it, and so before anything is stored, audited or sent to the
 * HIS. Vietnamese text passes unchanged. Use `text().min(…).max(…)` in place of `z.string().trim()…`.
 */
export const text = () => z.string().overwrite(cleanText);

/**
 * Every id the server made (path parameters, ids in a body) is this schema: a UUID, and `message` names what was
 * expected (e.g. 'Mã hồ sơ không hợp lệ.'); without one, zod's Vietnamese message.
 */
export const uuid = (message?: string) => z.uuid(message === undefined ? undefined : { message });

export { z };
