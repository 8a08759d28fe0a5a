// One process per embedded PGlite database. PGlite is an in-process Postgres:
// a second process opening the same folder never sees the first one's writes
// and can wedge it. The opener writes `<folder>.holder` (pid, command,
// since); a second opener stops at once with one line naming that process. A
// holder file left by a process that died (kill -9) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

export class DatabaseInUseError extends Error {
  readonly folder: string;
  readonly holder: { pid: number; command: string };
  constructor(folder: string, holder: { pid: number; command: string }) {
    super(
      `The embedded database ${folder} is in use by process ${holder.pid} (${holder.command}): ` +
        'stop that process first, or work through it (npm start migrates and seeds at start; ' +
        'API keys are created in the console or over /mcp/keys).',
    );
    this.folder = folder;
    this.holder = holder;
    this.name = 'DatabaseInUseError';
  }
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number'
      ? {
          pid: parsed.pid,
          command: String(parsed.command ?? ''),
          since: String(parsed.since ?? ''),
        }
      : null;
  } catch {
    return null;
  }
}

const commandLine = () =>
  process.argv
    .slice(1)
    .map((a) => a.replace(/^.*[\\/](?=[^\\/]+$)/, ''))
    .join(' ')
    .slice(0, 200);

/** Takes the folder for this process; returns the release function. Throws DatabaseInUseError. */
export function lockPgliteFolder(folder: string): () => void {
  const path = `${resolve(folder)}.holder`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const holder: Holder = {
        pid: process.pid,
        command: commandLine(),
        since: new Date().toISOString(),
      };
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readHolder(path)?.pid === process.pid) unlinkSync(path);
      };
      // A process that exits without closing the database still frees it.
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DatabaseInUseError(resolve(folder), holder);
      }
      if (holder?.pid === process.pid) {
        throw new DatabaseInUseError(resolve(folder), holder);
      }
      // Left by a process that is gone: take it over.
      try {
        unlinkSync(path);
      } catch {
        // Another opener removed it first; try again.
      }
    }
  }
  throw new Error(`Could not take the embedded database ${resolve(folder)}`);
}
