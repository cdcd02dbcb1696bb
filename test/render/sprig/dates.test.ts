/** Date functions against helm-rendered expectations (dates.yaml, dates-local.yaml). */
import { describeHelmCases } from './helm-cases.js';

/**
 * The fixtures were rendered with the process time zone (Go's Local) set to UTC, and several
 * functions (date, htmlDate, toDate) use Local, so the suite pins TZ for its duration.
 */
describe('sprig dates (dates.ts, golayout.ts, gotime.ts, duration.ts)', () => {
  let saved: string | undefined;
  before(() => {
    saved = process.env.TZ;
    process.env.TZ = 'UTC';
  });
  after(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  describeHelmCases('dates');
});

describe('sprig dates in a Local zone with DST (dates.ts, gotime.ts, golayout-parse.ts)', () => {
  let saved: string | undefined;
  before(() => {
    saved = process.env.TZ;
    process.env.TZ = 'America/New_York'; // as when the fixture was rendered
  });
  after(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  describeHelmCases('dates-local');
});
