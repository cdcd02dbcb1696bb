/** buildJob: each input in test/fixtures/build/job-inputs.yaml against its whole expected Job. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildJob, gitContext, jobName, type BuildJobInput } from '../../src/build/job.js';

interface JobCase extends BuildJobInput {
  readonly name: string;
}

const fixtures = path.resolve('test/fixtures/build');
const inputs = parse(readFileSync(path.join(fixtures, 'job-inputs.yaml'), 'utf8'), { merge: true }) as { cases: JobCase[] };

function expected(name: string): Record<string, unknown> {
  return parse(readFileSync(path.join(fixtures, `job-${name}.expected.yaml`), 'utf8')) as Record<string, unknown>;
}

function podSpec(job: Record<string, unknown>): Record<string, unknown> {
  const spec = job.spec as { template: { spec: Record<string, unknown> } };
  return spec.template.spec;
}

describe('build/job', () => {
  for (const c of inputs.cases) {
    describe(c.name, () => {
      const job = buildJob(c) as Record<string, unknown>;
      const want = expected(c.name);
      // Field by field first, so a failure names the part that differs.
      for (const field of ['metadata', 'spec.backoffLimit', 'spec.activeDeadlineSeconds', 'spec.ttlSecondsAfterFinished']) {
        it(field, () => {
          const pick = (o: Record<string, unknown>): unknown =>
            field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o);
          assert.deepEqual(pick(job), pick(want));
        });
      }
      for (const field of ['affinity', 'volumes', 'restartPolicy', 'automountServiceAccountToken']) {
        it(`pod ${field}`, () => assert.deepEqual(podSpec(job)[field], podSpec(want)[field]));
      }
      for (const field of ['args', 'env', 'resources', 'securityContext', 'volumeMounts', 'image']) {
        it(`container ${field}`, () => {
          const [got] = podSpec(job).containers as Record<string, unknown>[];
          const [exp] = podSpec(want).containers as Record<string, unknown>[];
          assert.deepEqual(got?.[field], exp?.[field]);
        });
      }
      it('whole Job', () => assert.deepEqual(job, want));
    });
  }

  it('names are DNS labels of at most 63 chars', () => {
    for (const [app, id] of [['web', '01HZX4K9Q8'], ['x'.repeat(70), 'abc'], ['a-b', '--']]) {
      const name = jobName(app ?? '', id ?? '');
      assert.ok(name.length <= 63, name);
      assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it('rejects repos kaniko cannot clone as a git context', () => {
    for (const repo of ['git@github.com:acme/x.git', 'ssh://git@host/x.git', '/srv/git/x']) {
      assert.throws(() => gitContext('web', repo, 'main', 'a'.repeat(40)), (e: unknown) => (e as { code?: string }).code === 'BUILD_REPO_UNSUPPORTED');
    }
  });
});
