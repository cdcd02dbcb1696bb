/** Sprig int64 and decimal float math against helm-rendered expectations (math.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig math (math.ts, decimal.ts)', () => {
  describeHelmCases('math');
});
