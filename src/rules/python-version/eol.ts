// When each Python minor version stops getting security fixes. Known dates come from the
// release PEPs; from 3.9 on, PEP 602's annual cycle gives the rest (released each October,
// supported for five years), so a version that does not exist yet is still judged right.

const KNOWN_EOL: Record<string, string> = {
  '2.6': '2013-10-29',
  '2.7': '2020-01-01',
  '3.0': '2009-06-27',
  '3.1': '2012-04-09',
  '3.2': '2016-02-20',
  '3.3': '2017-09-29',
  '3.4': '2019-03-18',
  '3.5': '2020-09-30',
  '3.6': '2021-12-23',
  '3.7': '2023-06-27',
  '3.8': '2024-10-07',
};

export interface PythonVersion {
  readonly major: number;
  readonly minor: number;
}

/** The end-of-life date (UTC, as yyyy-mm-dd) of a minor version, or null when unknown (Python 1, 4+). */
export function endOfLife(version: PythonVersion): string | null {
  const key = `${version.major}.${version.minor}`;
  if (KNOWN_EOL[key]) return KNOWN_EOL[key];
  if (version.major === 2 && version.minor < 6) return '2008-12-31';
  if (version.major === 3 && version.minor >= 9) return `${2011 + version.minor + 5}-10-31`;
  return null;
}

/** The first release date of a 3.x minor version under PEP 602 (early October), for "what to use instead". */
function released(minor: number): string {
  return `${2011 + minor}-10-07`;
}

export function isPastEndOfLife(version: PythonVersion, now: Date): string | null {
  const eol = endOfLife(version);
  return eol !== null && now.toISOString().slice(0, 10) > eol ? eol : null;
}

/** The supported 3.x versions on a given day (oldest first). */
export function supportedVersions(now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  const out: string[] = [];
  for (let minor = 9; minor < 60; minor++) {
    if (released(minor) > today) break;
    if (endOfLife({ major: 3, minor })! >= today) out.push(`3.${minor}`);
  }
  return out;
}
