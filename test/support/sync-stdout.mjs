// Preloaded into every test process (package.json "test"). Each test file's process reports to the
// runner over a pipe, and pipe writes are asynchronous on Linux: with --test-force-exit the process
// can exit with its last verdicts still buffered, and they are lost without an error
// (nodejs/node#64833). Blocking writes make every verdict reach the runner before the exit.
if (process.stdout._handle && typeof process.stdout._handle.setBlocking === 'function') process.stdout._handle.setBlocking(true);
