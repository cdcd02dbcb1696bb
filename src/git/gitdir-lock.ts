/**
 * Who may use a git dir when, across every GitSource on it (isomorphic-git locks nothing):
 * fetches take turns (`serial`); reads run together (`shared`), but not while packs are rewritten
 * (`exclusive`, taken inside `serial`, so it waits only for the reads under way).
 */

interface DirState {
  /** The end of the last serial job queued. */
  tail?: Promise<void>;
  readers: number;
  /** Resolved when the exclusive job under way is done. */
  writer?: Promise<void>;
  /** Called when the last reader leaves while an exclusive job waits. */
  drained?: () => void;
}

/** One entry per git dir ever used: a handful of repos, kept for the process's life. */
const dirs = new Map<string, DirState>();

function state(gitdir: string): DirState {
  let s = dirs.get(gitdir);
  if (!s) {
    s = { readers: 0 };
    dirs.set(gitdir, s);
  }
  return s;
}

/** Runs `fn` after every serial job queued before it on `gitdir`; its rejection stays the caller's. */
export function serial<T>(gitdir: string, fn: () => Promise<T>): Promise<T> {
  const s = state(gitdir);
  const run = (s.tail ?? Promise.resolve()).then(fn, fn);
  // The chain only orders work; each caller still sees its own rejection through `run`.
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  s.tail = tail;
  void tail.then(() => {
    if (s.tail === tail) s.tail = undefined;
  });
  return run;
}

/** Runs a read of `gitdir`, with other reads, never during an exclusive job. */
export async function shared<T>(gitdir: string, fn: () => Promise<T>): Promise<T> {
  const s = state(gitdir);
  while (s.writer) await s.writer;
  s.readers++;
  try {
    return await fn();
  } finally {
    s.readers--;
    if (s.readers === 0) s.drained?.();
  }
}

/** Runs `fn` once the reads under way are done, holding new ones back; call it inside `serial`. */
export async function exclusive<T>(gitdir: string, fn: () => Promise<T>): Promise<T> {
  const s = state(gitdir);
  let release: () => void = () => undefined;
  s.writer = new Promise<void>((resolve) => (release = resolve));
  try {
    if (s.readers > 0) await new Promise<void>((resolve) => (s.drained = resolve));
    return await fn();
  } finally {
    s.drained = undefined;
    s.writer = undefined;
    release();
  }
}
