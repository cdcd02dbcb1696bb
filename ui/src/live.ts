/**
 * The live event stream (GET /api/v1/events/stream, server-sent events) shared by every page.
 * EventSource retries on its own after a dropped connection; when the browser gives up (an HTTP
 * error, e.g. the server restarting), this client opens a new one with a growing delay, and asks
 * for the session first so an expired login goes to the login page instead of retrying forever.
 * Listeners hear `open` after every (re)connection: they reload what they show, since events sent
 * while disconnected are lost.
 */
import { loadSession } from './api.js';
import type { MatrixRow } from './types.js';

export type LiveState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

type RowsListener = (rows: readonly MatrixRow[]) => void;
type StateListener = (state: LiveState) => void;

const STREAM = '/api/v1/events/stream';
const MAX_DELAY_MS = 15_000;

class LiveClient {
  private source: EventSource | undefined;
  private readonly rowListeners = new Set<RowsListener>();
  private readonly stateListeners = new Set<StateListener>();
  private timer: number | undefined;
  private failures = 0;
  state: LiveState = 'stopped';

  start(): void {
    if (this.source || this.timer !== undefined) return;
    this.connect();
  }

  stop(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    this.source?.close();
    this.source = undefined;
    this.setState('stopped');
  }

  /** Rows of the matrix whose statuses changed; returns the unsubscribe function. */
  onRows(l: RowsListener): () => void {
    this.rowListeners.add(l);
    return () => this.rowListeners.delete(l);
  }

  onState(l: StateListener): () => void {
    this.stateListeners.add(l);
    return () => this.stateListeners.delete(l);
  }

  private connect(): void {
    this.timer = undefined;
    this.setState(this.failures === 0 ? 'connecting' : 'reconnecting');
    const es = new EventSource(STREAM);
    this.source = es;
    es.onopen = () => {
      this.failures = 0;
      this.setState('open');
    };
    es.addEventListener('rows', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { items: MatrixRow[] };
      for (const l of this.rowListeners) l(data.items);
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CONNECTING) {
        this.setState('reconnecting');
        return;
      }
      // Closed for good (an HTTP error): retry ourselves, unless the session is gone.
      es.close();
      if (this.source !== es) return;
      this.source = undefined;
      this.failures++;
      const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.failures, 5));
      this.setState('reconnecting');
      this.timer = window.setTimeout(() => {
        void loadSession().then(
          (s) => (s ? this.connect() : this.stop()),
          () => this.connect(),
        );
      }, delay);
    };
  }

  private setState(s: LiveState): void {
    if (s === this.state) return;
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }
}

export const live = new LiveClient();
