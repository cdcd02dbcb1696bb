/**
 * Failure notifications for builds: a Slack-compatible JSON body POSTed to an incoming webhook,
 * and/or a mail over SMTP (nodemailer: STARTTLS and AUTH done right). Both name the app, commit,
 * branch, build id, reason and the log link. A channel that fails is reported as a value and
 * logged — never thrown into the runner, never with its secret (the webhook URL's path, the SMTP
 * password).
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { BuildNotify } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { errorText } from '../common/error-text.js';

export interface FailureNotice {
  readonly app: string;
  readonly commit: string;
  readonly branch: string;
  readonly buildId: string;
  readonly reason: string;
  readonly logUrl?: string;
}

export interface NoticeBodies {
  readonly subject: string;
  readonly text: string;
  /** Slack's incoming-webhook payload: `text` for notifications, `blocks` for the message. */
  readonly slack: Record<string, unknown>;
}

export interface ChannelResult {
  readonly channel: 'webhook' | 'smtp';
  readonly ok: boolean;
  readonly error?: string;
}

/** The subject, text and Slack body of a failure (pure). */
export function failureNotice(n: FailureNotice): NoticeBodies {
  const short = n.commit.slice(0, 7);
  const subject = `sluice: build ${n.buildId} of ${n.app} failed`;
  const lines = [`Build ${n.buildId} of ${n.app} failed.`, '', `App:     ${n.app}`, `Commit:  ${n.commit} (${n.branch})`, `Build:   ${n.buildId}`, `Reason:  ${n.reason}`, ...(n.logUrl ? [`Log:     ${n.logUrl}`] : [])];
  const fields = [
    { type: 'mrkdwn', text: `*App*\n${n.app}` },
    { type: 'mrkdwn', text: `*Commit*\n\`${short}\` on ${n.branch}` },
    { type: 'mrkdwn', text: `*Build*\n${n.logUrl ? `<${n.logUrl}|${n.buildId}>` : n.buildId}` },
  ];
  return {
    subject,
    text: lines.join('\n') + '\n',
    slack: {
      text: `Build ${n.buildId} of ${n.app} failed (${short} on ${n.branch}): ${n.reason}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `:x: *Build ${n.buildId} of ${n.app} failed*\n${n.reason}` } },
        { type: 'section', fields },
        ...(n.logUrl ? [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Build log' }, url: n.logUrl }] }] : []),
      ],
    },
  };
}

/** `<base>/api/v1/builds/<id>/logs`, or undefined when the API's public base URL is unknown. */
export function logUrl(baseUrl: string | undefined, buildId: string): string | undefined {
  if (!baseUrl) return undefined;
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/builds/${encodeURIComponent(buildId)}/logs`;
}

export interface NotifierDeps {
  readonly log: Logger;
  /** Reads a mounted Secret file; default fs. */
  readonly readSecret?: (path: string) => string;
  readonly timeoutMs?: number;
}


/** Host only: an incoming-webhook URL's path is its secret. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

export class Notifier {
  private readonly readSecret: (path: string) => string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: BuildNotify,
    private readonly deps: NotifierDeps,
  ) {
    this.readSecret = deps.readSecret ?? ((p) => readFileSync(p, 'utf8').trim());
    this.timeoutMs = deps.timeoutMs ?? 10_000;
  }

  /** Sends on every configured channel; resolves with each channel's result. */
  async notify(n: FailureNotice): Promise<ChannelResult[]> {
    const bodies = failureNotice(n);
    const results: Promise<ChannelResult>[] = [];
    if (this.settings.webhook !== undefined || this.settings.webhookFile !== undefined) results.push(this.webhook(bodies));
    if (this.settings.smtp) results.push(this.mail(bodies));
    const done = await Promise.all(results);
    for (const r of done.filter((x) => !x.ok)) this.deps.log.log('warn', 'build failure notification not sent', { app: n.app, build: n.buildId, channel: r.channel, error: r.error });
    return done;
  }

  private async webhook(bodies: NoticeBodies): Promise<ChannelResult> {
    let url: string;
    try {
      url = this.settings.webhook ?? this.readSecret(this.settings.webhookFile as string);
    } catch (err) {
      return { channel: 'webhook', ok: false, error: `webhook URL unreadable: ${errorText(err)}` };
    }
    let last = '';
    // One retry: a webhook endpoint blips; more would delay nothing useful (the build log stays in the API).
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies.slack), signal: AbortSignal.timeout(this.timeoutMs) });
        await res.arrayBuffer();
        if (res.ok) return { channel: 'webhook', ok: true };
        last = `${hostOf(url)} answered HTTP ${res.status}`;
        if (res.status < 500) break;
      } catch (err) {
        last = `${hostOf(url)}: ${(err as { cause?: { message?: string } }).cause?.message ?? errorText(err)}`;
      }
    }
    return { channel: 'webhook', ok: false, error: last };
  }

  private async mail(bodies: NoticeBodies): Promise<ChannelResult> {
    const smtp = this.settings.smtp;
    if (!smtp) return { channel: 'smtp', ok: false, error: 'no smtp settings' };
    try {
      const secret = smtp.secretFile ? this.readSecret(smtp.secretFile) : undefined;
      const colon = secret?.indexOf(':') ?? -1;
      const auth = secret && colon > 0 ? { user: secret.slice(0, colon), pass: secret.slice(colon + 1) } : undefined;
      const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: smtp.port === 465, ...(auth ? { auth } : {}), connectionTimeout: this.timeoutMs, greetingTimeout: this.timeoutMs, socketTimeout: this.timeoutMs });
      try {
        await transport.sendMail({ from: smtp.from, to: [...smtp.to], subject: bodies.subject, text: bodies.text });
      } finally {
        transport.close();
      }
      return { channel: 'smtp', ok: true };
    } catch (err) {
      return { channel: 'smtp', ok: false, error: `${smtp.host}:${smtp.port}: ${errorText(err)}` };
    }
  }
}
