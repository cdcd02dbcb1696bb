/** Build failure notifications: the bodies, a local webhook receiver, a local SMTP receiver, failures as values. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureNotice, logUrl, Notifier, type FailureNotice } from '../../src/build/notify.js';
import { jsonLogger } from '../../src/log/logger.js';
import { startSmtpServer, type SmtpServer } from '../support/smtp-server.js';

const NOTICE: FailureNotice = { app: 'web', commit: '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49', branch: 'main', buildId: 'b7e3a1f0', reason: 'kaniko exited with code 1 (Error): error building image', logUrl: 'https://sluice.example.com/api/v1/builds/b7e3a1f0/logs' };

interface Receiver { url: string; bodies: unknown[]; statuses: number[]; close(): Promise<void> }

async function receiver(statuses: number[] = []): Promise<Receiver> {
  const bodies: unknown[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(text) as unknown });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/SECRETPART`, bodies, statuses, close: () => new Promise((r) => server.close(() => r())) };
}

function capture(): { lines: string[]; log: ReturnType<typeof jsonLogger> } {
  const lines: string[] = [];
  return { lines, log: jsonLogger('debug', {}, (l) => lines.push(l)) };
}

describe('build/notify', () => {
  it('names app, commit, branch, build, reason and log link in every body', () => {
    const b = failureNotice(NOTICE);
    assert.equal(b.subject, 'sluice: build b7e3a1f0 of web failed');
    for (const s of ['web', NOTICE.commit, 'main', 'b7e3a1f0', 'error building image', NOTICE.logUrl as string]) assert.ok(b.text.includes(s), `text has ${s}`);
    const slack = JSON.stringify(b.slack);
    for (const s of ['web', '3f2a9c1', 'b7e3a1f0', NOTICE.logUrl as string]) assert.ok(slack.includes(s), `slack body has ${s}`);
    assert.equal(typeof b.slack.text, 'string', 'Slack needs a top-level text for notifications');
  });

  it('builds the log link from the API base URL, if known', () => {
    assert.equal(logUrl('https://sluice.example.com/', 'b7e3a1f0'), NOTICE.logUrl);
    assert.equal(logUrl(undefined, 'b7e3a1f0'), undefined);
  });

  it('POSTs the Slack body to the webhook, retrying once after a 5xx', async () => {
    const r = await receiver([503]);
    try {
      const results = await new Notifier({ webhook: r.url }, { log: capture().log }).notify(NOTICE);
      assert.deepEqual(results, [{ channel: 'webhook', ok: true }]);
      assert.equal(r.bodies.length, 2);
      assert.deepEqual(r.bodies[1], { contentType: 'application/json', body: failureNotice(NOTICE).slack });
    } finally {
      await r.close();
    }
  });

  it('reads the webhook URL from a mounted Secret file', async () => {
    const r = await receiver();
    try {
      const results = await new Notifier({ webhookFile: '/etc/sluice/notify/webhook' }, { log: capture().log, readSecret: (p) => (p === '/etc/sluice/notify/webhook' ? r.url : '') }).notify(NOTICE);
      assert.deepEqual(results, [{ channel: 'webhook', ok: true }]);
    } finally {
      await r.close();
    }
  });

  it('an unreachable or refusing webhook is an error value, logged without the URL secret', async () => {
    const r = await receiver([400]);
    const { lines, log } = capture();
    try {
      const refused = await new Notifier({ webhook: r.url }, { log }).notify(NOTICE);
      assert.deepEqual(refused.map((x) => [x.ok, x.error?.replace(/:\d+/, ':PORT')]), [[false, '127.0.0.1:PORT answered HTTP 400']]);
      assert.equal(r.bodies.length, 1, 'a 4xx is not retried');
    } finally {
      await r.close();
    }
    const down = await new Notifier({ webhook: r.url }, { log, timeoutMs: 2_000 }).notify(NOTICE);
    assert.equal(down[0].ok, false);
    assert.match(down[0].error ?? '', /^127\.0\.0\.1:\d+: /);
    assert.ok(lines.length >= 2);
    assert.ok(lines.every((l) => !l.includes('SECRETPART')), 'the webhook path is never logged');
  });

  describe('SMTP', () => {
    let smtp: SmtpServer;
    before(async () => (smtp = await startSmtpServer()));
    after(() => smtp.close());

    it('mails the recipients with the subject, authenticating with the mounted secret', async () => {
      const settings = { smtp: { host: '127.0.0.1', port: smtp.port, from: 'sluice@example.com', to: ['dev@example.com', 'ops@example.com'], secretFile: '/etc/sluice/smtp' } };
      const { lines, log } = capture();
      const results = await new Notifier(settings, { log, readSecret: () => 'mailer:s3cret-pass' }).notify(NOTICE);
      assert.deepEqual(results, [{ channel: 'smtp', ok: true }]);
      const mail = smtp.mails.at(-1);
      assert.equal(mail?.from, 'sluice@example.com');
      assert.deepEqual(mail?.to, ['dev@example.com', 'ops@example.com']);
      assert.deepEqual(mail?.auth, { user: 'mailer', pass: 's3cret-pass' });
      assert.match(mail?.data ?? '', /^Subject: sluice: build b7e3a1f0 of web failed$/m);
      assert.match(mail?.data ?? '', /builds\/b7e3a1f0\/logs/);
      assert.ok(lines.every((l) => !l.includes('s3cret-pass')));
    });

    it('an SMTP server that is not there is an error value', async () => {
      const results = await new Notifier({ smtp: { host: '127.0.0.1', port: 1, from: 'a@b.c', to: ['d@e.f'] } }, { log: capture().log, timeoutMs: 2_000 }).notify(NOTICE);
      assert.equal(results[0].ok, false);
      assert.match(results[0].error ?? '', /^127\.0\.0\.1:1: /);
    });
  });
});
