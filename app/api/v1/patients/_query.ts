import { z } from '@/lib/validation';
import { PURPOSES } from '@/lib/codes';

export const purposeSchema = z.enum(PURPOSES, { message: 'Mục đích tra cứu không hợp lệ.' });
