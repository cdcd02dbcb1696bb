/** Masterminds semver constraints against helm-rendered expectations (semver.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig semver (semver.ts, semver-constraint.ts)', () => {
  describeHelmCases('semver');
});
