/** What the controller logs of its git caches' pack roll-ups (src/git/packs.ts). */
import { errorText } from '../common/error-text.js';
import type { RollupResult } from '../git/packs.js';
import type { Logger } from '../log/logger.js';

export function logRollups(log: Logger): (repo: string, outcome: RollupResult | Error) => void {
  return (repo, outcome) => {
    if (outcome instanceof Error) log.log('warn', 'git cache packs not rolled up (every object stays readable)', { repo, error: errorText(outcome) });
    else log.log('debug', 'git cache packs rolled up', { repo, ...outcome });
  };
}
