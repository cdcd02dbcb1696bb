/** The text of a caught value: an Error's message, anything else as String() gives it (JavaScript can throw anything). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A caught value as an Error: itself when it is one, else an Error carrying its text. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
