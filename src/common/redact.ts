/**
 * Credentials out of free text: `scheme://user:secret@host` keeps the scheme and host only. Used on
 * texts (error messages, reasons) before they are stored outside the process.
 */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}
