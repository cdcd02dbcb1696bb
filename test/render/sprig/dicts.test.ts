/** Sprig dict functions and mergo merge semantics against helm-rendered expectations (dicts.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig dicts (dicts.ts, merge.ts)', () => {
  describeHelmCases('dicts');
});
