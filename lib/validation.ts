import { z } from 'zod';

// Validation messages reach receptionists and integrators: Vietnamese by default (zod's own locale),
// with our own wording where a field needs it.
z.config(z.locales.vi());

export { z };
