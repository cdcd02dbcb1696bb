/** Sprig defaults, JSON encoding and reflection against helm-rendered expectations (defaults.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig defaults, json and reflect (defaults.ts, json.ts, reflect.ts)', () => {
  describeHelmCases('defaults');
});
