import assert from 'node:assert/strict';
import { LogBuffer, podLogUrl } from '../../../ui/src/app-page/logs.js';

describe('ui app-page logs', () => {
  it('joins lines cut across chunks and keeps the unfinished one', () => {
    const b = new LogBuffer(10);
    b.append('one\ntw');
    assert.equal(b.text(), 'one\ntw');
    b.append('o\nthree');
    assert.equal(b.text(), 'one\ntwo\nthree');
    b.append('\n');
    assert.equal(b.text(), 'one\ntwo\nthree\n');
    assert.equal(b.lineCount, 3);
  });

  it('keeps only the newest lines', () => {
    const b = new LogBuffer(2);
    b.append('a\nb\nc\nd\n');
    assert.equal(b.text(), 'c\nd\n');
    assert.equal(b.dropped, 2);
    b.clear();
    assert.equal(b.text(), '');
  });

  it('builds the logs URL', () => {
    assert.equal(podLogUrl('web', 'dev', 'web-1', 'app', 100, true), '/api/v1/apps/web/dev/pods/web-1/logs?container=app&tailLines=100&follow=true');
    assert.equal(podLogUrl('web', 'dev', 'web 1', undefined, 50, false), '/api/v1/apps/web/dev/pods/web%201/logs?tailLines=50');
  });
});
