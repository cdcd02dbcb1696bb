/** valuesFilesFor: the overlay files of an app × env, in layering order. */
import assert from 'node:assert/strict';
import { imageFileFor, valuesFilesFor } from '../../src/config/index.js';

describe('config/layout', () => {
  const cases = [
    { target: { app: 'web', env: 'dev' }, files: ['environments/dev/values.yaml', 'environments/dev/web/values.yaml', 'environments/dev/web/image.yaml'] },
    { target: { app: 'quotes', env: 'prod' }, files: ['environments/prod/values.yaml', 'environments/prod/quotes/values.yaml', 'environments/prod/quotes/image.yaml'] },
  ];
  for (const c of cases) {
    it(`${c.target.app} in ${c.target.env}: env-wide, then app, then image`, () => {
      assert.deepEqual(valuesFilesFor(c.target), c.files);
      assert.equal(imageFileFor(c.target), c.files[2]);
    });
  }
});
