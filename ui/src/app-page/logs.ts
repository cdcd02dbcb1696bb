/**
 * A log tail that keeps at most `max` lines (pure): chunks of a streamed response arrive cut
 * anywhere, so the unfinished last line is held until its newline comes; the oldest lines go
 * first, so following a chatty pod for an hour keeps the page light.
 */
export class LogBuffer {
  private lines: string[] = [];
  private partial = '';
  /** Lines dropped from the front since the start. */
  dropped = 0;

  constructor(private readonly max: number) {}

  append(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) {
      const cut = this.lines.length - this.max;
      this.lines.splice(0, cut);
      this.dropped += cut;
    }
  }

  /** The kept text, with the unfinished line. */
  text(): string {
    const body = this.lines.join('\n');
    return this.partial ? (body ? `${body}\n${this.partial}` : this.partial) : body ? `${body}\n` : '';
  }

  get lineCount(): number {
    return this.lines.length + (this.partial ? 1 : 0);
  }

  clear(): void {
    this.lines = [];
    this.partial = '';
    this.dropped = 0;
  }
}

/** The pod logs URL: `tailLines` lines, then following when asked. */
export function podLogUrl(app: string, env: string, pod: string, container: string | undefined, tailLines: number, follow: boolean): string {
  const q = new URLSearchParams();
  if (container) q.set('container', container);
  q.set('tailLines', String(tailLines));
  if (follow) q.set('follow', 'true');
  return `/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}/pods/${encodeURIComponent(pod)}/logs?${q.toString()}`;
}
