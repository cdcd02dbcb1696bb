/** Sprig regex functions (RE2 via re2js, Go match iteration) against helm-rendered expectations (regex.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig regex (regex.ts)', () => {
  describeHelmCases('regex');
});
