// npm start's guardian: a tiny process that outlives `npm start` only to stop
// what it started. npm start writes the process group id of each child to
// this process's stdin; when that pipe closes without a "done" line (npm start
// was killed with -9, its terminal closed), the guardian stops every group:
// SIGINT (the backend closes PGlite, the emulator exports its users), then
// SIGKILL for what is still there after a few seconds.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { createInterface } from 'node:readline';

const groups = new Set();
let done = false;

const alive = (pgid) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};
const signal = (pgid, sig) => {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
};

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [word, value] = line.trim().split(/\s+/);
    if (word === 'group' && Number(value) > 0) groups.add(Number(value));
    if (word === 'done') done = true;
  })
  .on('close', async () => {
    if (done) process.exit(0);
    for (const pgid of groups) signal(pgid, 'SIGINT');
    const deadline = Date.now() + 5_000;
    while ([...groups].some(alive) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const pgid of groups) if (alive(pgid)) signal(pgid, 'SIGKILL');
    process.exit(0);
  });
// Not a child of the terminal's signals: Ctrl-C goes to npm start, which stops everything itself.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
