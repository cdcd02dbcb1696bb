/** Encodings, checksums and deterministic crypto against helm-rendered expectations (encoding.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig encoding and deterministic crypto (encoding.ts, crypto.ts)', () => {
  describeHelmCases('encoding');
});
