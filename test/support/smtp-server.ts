/**
 * A minimal SMTP receiver for tests (RFC 5321 subset): greeting, EHLO/HELO (advertising AUTH PLAIN,
 * no STARTTLS), AUTH PLAIN, MAIL FROM, RCPT TO, DATA (dot-terminated, dot-unstuffed), RSET, NOOP,
 * QUIT. Every accepted message is kept with its envelope and any AUTH credentials.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly data: string;
  readonly auth?: { user: string; pass: string };
}

export interface SmtpServer {
  readonly port: number;
  readonly mails: ReceivedMail[];
  close(): Promise<void>;
}

function session(socket: Socket, mails: ReceivedMail[]): void {
  let from = '';
  let to: string[] = [];
  let auth: ReceivedMail['auth'];
  let data: string[] | undefined;
  let buffer = '';
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply('220 localhost ESMTP test');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      if (data) {
        if (line === '.') {
          mails.push({ from, to, data: data.join('\r\n'), ...(auth ? { auth } : {}) });
          data = undefined;
          to = [];
          reply('250 2.0.0 queued');
        } else data.push(line.startsWith('..') ? line.slice(1) : line);
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') socket.write('250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
      else if (verb === 'HELO') reply('250 localhost');
      else if (verb === 'AUTH') {
        const [, , b64] = line.split(' ');
        const [, user, pass] = Buffer.from(b64 ?? '', 'base64').toString('utf8').split('\0');
        auth = { user: user ?? '', pass: pass ?? '' };
        reply('235 2.7.0 Authentication successful');
      } else if (verb === 'MAIL') {
        from = /<([^>]*)>/.exec(line)?.[1] ?? '';
        reply('250 2.1.0 OK');
      } else if (verb === 'RCPT') {
        to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        reply('250 2.1.5 OK');
      } else if (verb === 'DATA') {
        data = [];
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
      else if (verb === 'QUIT') {
        reply('221 Bye');
        socket.end();
      } else reply('502 5.5.2 Command not implemented');
    }
  });
  socket.on('error', () => socket.destroy());
}

export async function startSmtpServer(): Promise<SmtpServer> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    session(s, mails);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    mails,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
