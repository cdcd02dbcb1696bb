/**
 * The benchmarks' git host as its own process, as a git server is in real use: a smart-HTTP server
 * (git http-backend) over the bare repos under ROOT, so spawning the backend and serving packs
 * cost the benchmarked controller no CPU and no event-loop time. Prints `listening on URL`; stops on
 * SIGINT or SIGTERM.
 *   node dist/bench/git-host.js ROOT
 */
import { startGitServer } from '../test/support/git-server.js';

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) throw new Error('usage: git-host.js ROOT');
  const server = await startGitServer({ root });
  console.log(`listening on ${server.url}`);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
