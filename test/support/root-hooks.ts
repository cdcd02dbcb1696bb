/**
 * Root hooks for the whole run (loaded by .mocharc). After the last suite, a child process a test
 * left running is stopped and fails the run by name, instead of keeping mocha from exiting.
 */
import { stopLeftovers } from './child-processes.js';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    const left = await stopLeftovers();
    if (left.length > 0) throw new Error(`tests left ${left.length} child process(es) running, now killed:\n${left.join('\n')}`);
  },
};
