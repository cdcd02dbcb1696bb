/** A BuildApi holding two builds (b2 web Running, b1 api Failed) and one failing source, for route and CLI tests. */
import type { BuildApi, BuildView, SourceView } from '../../src/build/api.js';

const view = (id: string, app: string, state: BuildView['state'], over: Partial<BuildView> = {}): BuildView => ({
  id, app, branch: 'main', commit: 'a'.repeat(40), state, image: `registry.example.com/${app}`, tags: ['aaaaaaa.20261123-0412'], env: 'dev', queuedAt: '2026-11-23T04:12:00.000Z', ...over,
});

export const BUILDS: BuildView[] = [
  view('b2', 'web', 'Running', { startedAt: '2026-11-23T04:12:01.000Z' }),
  view('b1', 'api', 'Failed', { startedAt: '2026-11-23T04:00:00.000Z', finishedAt: '2026-11-23T04:01:05.000Z', message: 'kaniko exited with code 1' }),
];

export const fakeBuildApi: BuildApi = {
  list: () => BUILDS,
  get: (id) => BUILDS.find((b) => b.id === id),
  buildLog: async (id) => (id === 'b1' ? 'INFO Retrieving image\nerror building image\n' : id === 'b2' ? '' : undefined),
  sourceStatus: (): SourceView[] => [
    { app: 'web', repo: 'https://git.example.com/web.git', branch: 'main', head: 'a'.repeat(40), checkedAt: '2026-11-23T04:12:00.000Z' },
    { app: 'api', repo: 'https://git.example.com/api.git', branch: 'main', error: 'ls-remote: HTTP 503', checkedAt: '2026-11-23T04:12:00.000Z' },
  ],
};
