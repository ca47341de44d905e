// Just enough of the tar format (v7, ustar, GNU and pax long names) to list the regular files of
// an archive whose bytes we hold, with where their data starts. Members are 512-byte headers each
// followed by the data, padded to 512 bytes; two zero blocks end the archive.

export interface TarMember {
  name: string;
  size: number;
  /** Offset of the member's data in the buffer. */
  offset: number;
}

export interface TarListing {
  members: TarMember[];
  /** The listing stopped at the end of the bytes held (or at a damaged header), not at the archive's end. */
  incomplete: boolean;
  /** It holds more than `maxMembers` regular files. */
  tooMany: boolean;
}

const BLOCK = 512;

function field(buf: Buffer, at: number, length: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('utf8', at, end === -1 || end > at + length ? at + length : end);
}

/** A numeric field: octal text, or base-256 when the high bit of its first byte is set (GNU). */
function number(buf: Buffer, at: number, length: number): number | null {
  if (buf[at] & 0x80) {
    let value = 0;
    for (let i = at + 1; i < at + length; i++) value = value * 256 + buf[i];
    return value <= Number.MAX_SAFE_INTEGER ? value : null;
  }
  const text = buf.toString('latin1', at, at + length).replace(/[\0 ]+$/, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : null;
}

/** The header's checksum holds: the sum of its bytes with the checksum field read as spaces. */
function checksumHolds(buf: Buffer, at: number): boolean {
  const stored = number(buf, at + 148, 8);
  if (stored === null) return false;
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += i >= at + 148 && i < at + 156 ? 32 : buf[i];
  return sum === stored;
}

export function isTar(head: Buffer): boolean {
  return head.length >= BLOCK && checksumHolds(head, 0);
}

/** The regular files of the archive (up to `maxMembers`), as far as the bytes go. */
export function listTar(buf: Buffer, maxMembers: number): TarListing {
  const members: TarMember[] = [];
  let at = 0;
  let longName: string | null = null;
  while (at + BLOCK <= buf.length) {
    if (buf.subarray(at, at + BLOCK).every((b) => b === 0)) return { members, incomplete: false, tooMany: false };
    if (!checksumHolds(buf, at)) return { members, incomplete: true, tooMany: false };
    const size = number(buf, at + 124, 12);
    if (size === null) return { members, incomplete: true, tooMany: false };
    const type = String.fromCharCode(buf[at + 156] || 0x30);
    const dataAt = at + BLOCK;
    const data = buf.subarray(dataAt, Math.min(buf.length, dataAt + size));
    if (type === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1] ?? longName;
    else if (type === 'g' || type === 'K') {
      // global pax header, GNU long link name: nothing to list
    } else {
      const prefix = buf.toString('latin1', at + 257, at + 262) === 'ustar' ? field(buf, at + 345, 155) : '';
      const name = longName ?? (prefix ? `${prefix}/${field(buf, at, 100)}` : field(buf, at, 100));
      longName = null;
      if (type === '0' || type === '7') {
        if (members.length >= maxMembers) return { members, incomplete: true, tooMany: true };
        members.push({ name, size, offset: dataAt });
      }
    }
    at = dataAt + Math.ceil(size / BLOCK) * BLOCK;
  }
  return { members, incomplete: true, tooMany: false };
}
