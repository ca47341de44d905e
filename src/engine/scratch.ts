/**
 * One reused buffer for work on a long line that needs bytes only during one call: the diff
 * parser's window put together across the pieces git printed (git/text-queue.ts) and the keyword
 * scan's UTF-16 copy of a line (rules/secrets/keyword-scan.ts). Memory is slow here the first time
 * it is touched, page by page (~4–6 ms a MiB measured on the 2-core machine, a 0.15 ms copy into
 * memory already touched): a 10 MB line's windows had each pass fault in a buffer of its own, the
 * keyword scan's 2 MiB after git's last byte, when nothing else runs beside it. Shared, the scan
 * reads what the windows' joins already touched.
 *
 * A caller uses the contents only until it returns, and calls nothing that may use it meanwhile.
 * allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool (offset 0, so even:
 * a Uint16Array can view it).
 */
let buffer = Buffer.allocUnsafeSlow(64 * 1024);

/** At least `bytes` bytes (grown at least twofold, so a run of growing lines grows it a few times only). */
export function scratch(bytes: number): Buffer {
  if (buffer.length < bytes) buffer = Buffer.allocUnsafeSlow(Math.max(bytes, 2 * buffer.length));
  return buffer;
}
