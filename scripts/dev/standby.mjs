/**
 * A warm stand-in for the next run of a service, started by scripts/dev/hot-runner.ts.
 *
 * It loads the service's third-party packages ahead of time (the slow part of a Node start: about two
 * thirds of the API's boot on this machine), tells the runner it is ready, then waits. When the runner
 * says `go`, it imports the freshly built bundle, which finds those packages already in the module
 * cache, so a saved file answers in a fraction of a full start.
 *
 * Plain JavaScript on purpose: the bundle is JavaScript, so no TypeScript loader (and no loader thread)
 * sits between the process and its modules.
 */

const preload = JSON.parse(process.env.HOT_PRELOAD ?? '[]');
let goUrl = null;
let preloaded = false;

const start = async (url) => {
  process.removeAllListeners('message');
  // The runner times the service's start-up from here (a stand-by still preloading is its own delay).
  process.send?.({ importing: true });
  // The channel is only for `go`: the service's own lifetime, not the open channel, decides when this
  // process ends.
  process.channel?.unref();
  const started = performance.now();
  await import(url);
  if (process.env.HOT_DEBUG)
    console.error(`[hot] bundle evaluated in ${(performance.now() - started).toFixed(0)} ms`);
};

process.on('message', (message) => {
  if (message && typeof message.go === 'string') {
    // Where this run listens: a private loopback port the runner forwards its public socket to
    // (hot-runner.ts). Set before the bundle is imported, so the service's config parse sees it.
    for (const [key, value] of Object.entries(message.env ?? {})) process.env[key] = String(value);
    goUrl = message.go;
    if (preloaded) void start(goUrl);
  }
});

for (const specifier of preload) {
  try {
    await import(specifier);
  } catch {
    // A package that cannot be imported on its own (types only, optional peer) is loaded by the bundle
    // if it needs it, with the real error there.
  }
}
preloaded = true;
if (process.env.HOT_DEBUG)
  console.error(`[hot] stand-by preloaded ${preload.length} packages in ${performance.now().toFixed(0)} ms`);
if (goUrl) void start(goUrl);
else process.send?.({ ready: true });
