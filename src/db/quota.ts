// A full disk, however IndexedDB and Dexie report it: the background and the
// sync engine's worker both ask (a worker's write fails with it too).

export function isQuotaError(error: unknown): boolean {
  // Dexie passes IndexedDB's DOMException on, or wraps it (`inner`); browsers name it QuotaExceededError.
  for (let e = error as { name?: unknown; inner?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (e.name === 'QuotaExceededError') return true;
    e = (e.inner ?? e.cause ?? null) as typeof e;
  }
  return false;
}
