/** Path, URL and network functions against helm-rendered expectations (paths.yaml). */
import { describeHelmCases } from './helm-cases.js';

describe('sprig paths, urls and network (paths.ts, urls.ts, network.ts)', () => {
  describeHelmCases('paths');
});
