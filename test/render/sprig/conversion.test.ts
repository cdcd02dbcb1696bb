/** Sprig's cast-based conversions against helm-rendered expectations (conversion.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig conversion (conversion.ts)', () => {
  describeHelmCases('conversion');
});
