import { createHash } from 'node:crypto';
import type { Sha256 } from '../../domain/audit.js';

/** The SHA-256 primitive the domain's audit chain is given (src/domain may not import node:*). */
export const sha256Hex: Sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
