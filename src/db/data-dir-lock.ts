// An embedded PGlite data directory must only ever be opened by one process: a second one
// would corrupt it. The lock file holds the owner's pid; a lock whose process is gone is stale.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export class DataDirInUseError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock or throws DataDirInUseError; returns the release function. */
export function lockDataDir(path: string, dataDir: string): () => void {
  if (!tryCreate(path)) {
    const owner = Number(readFileSync(path, 'utf8'));
    if (owner !== process.pid && Number.isInteger(owner) && isAlive(owner)) {
      throw new DataDirInUseError(
        `The embedded database in ${dataDir} is in use by another DJAM process (pid ${owner}). `
        + 'Stop the server first (Ctrl+C), run this command, then start it again, or use PostgreSQL (DJAM_DB_HOST) to run commands beside a running server.',
      );
    }
    rmSync(path, { force: true });
    if (!tryCreate(path)) throw new DataDirInUseError(`Could not lock ${dataDir}: another process took it at the same moment.`);
  }
  return () => rmSync(path, { force: true });
}
