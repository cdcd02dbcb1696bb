import assert from 'node:assert/strict';
import { spawnChild, stopChild, stopLeftovers } from '../support/child-processes.js';

// A node that ignores SIGTERM and never ends by itself: only SIGKILL stops it.
const STUBBORN = ["process.on('SIGTERM', () => undefined); setInterval(() => undefined, 1000); process.stdout.write('up')"];

async function started(child: ReturnType<typeof spawnChild>): Promise<void> {
  await new Promise((resolve) => child.proc.stdout?.once('data', resolve));
}

describe('support/child-processes', () => {
  it('stops a process that ignores SIGTERM with SIGKILL once the grace has passed', async () => {
    const child = spawnChild(process.execPath, ['-e', ...STUBBORN]);
    await started(child);
    assert.equal(await stopChild(child, 'SIGTERM', 200), null);
    assert.equal(child.proc.signalCode, 'SIGKILL');
  });

  it('returns the exit code of a process that ends on the signal, and of one already ended', async () => {
    const child = spawnChild(process.execPath, ['-e', "process.on('SIGTERM', () => process.exit(3)); setInterval(() => undefined, 1000); process.stdout.write('up')"]);
    await started(child);
    assert.equal(await stopChild(child), 3);
    assert.equal(await stopChild(child), 3);
  });

  it('counts a command that cannot start as ended', async () => {
    const child = spawnChild('/nonexistent/command', []);
    assert.equal(await stopChild(child), null);
    assert.deepEqual(await stopLeftovers(), []);
  });

  it('names and kills what was left running, so the run can exit', async () => {
    const left = spawnChild(process.execPath, ['-e', ...STUBBORN]);
    await started(left);
    const named = await stopLeftovers();
    assert.equal(named.length, 1);
    assert.match(named[0], new RegExp(`^pid ${left.proc.pid}: .*setInterval`));
    assert.equal(left.proc.signalCode, 'SIGKILL');
    assert.deepEqual(await stopLeftovers(), []);
  });
});
