/** Sprig string functions against helm-rendered expectations (fixtures strings.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig strings (strings.ts, case.ts)', () => {
  describeHelmCases('strings');
});
