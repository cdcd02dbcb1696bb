/** Sprig list functions against helm-rendered expectations (lists.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig lists (lists.ts)', () => {
  describeHelmCases('lists');
});
