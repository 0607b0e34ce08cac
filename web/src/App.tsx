import { useEffect, useState } from 'react';
import { fetchReadiness, type Readiness } from './api';

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; readiness: Readiness }
  | { kind: 'error'; message: string };

/** First page: tells the researcher whether the platform behind the UI is up, and what is not. */
export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      fetchReadiness(controller.signal)
        .then((readiness) => setState({ kind: 'ready', readiness }))
        .catch((error: Error) => {
          if (!controller.signal.aborted) setState({ kind: 'error', message: error.message });
        });
    load();
    const timer = setInterval(load, 5_000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);

  return (
    <main className="shell">
      <h1>OSINT Platform</h1>
      <section aria-labelledby="status-heading" className="card">
        <h2 id="status-heading">Platform status</h2>
        {state.kind === 'loading' && <p role="status">Checking the API…</p>}
        {state.kind === 'error' && (
          <p role="alert" data-testid="api-status" data-status="unreachable">
            The API cannot be reached ({state.message}). Is <code>npm start</code> running?
          </p>
        )}
        {state.kind === 'ready' && (
          <div data-testid="api-status" data-status={state.readiness.status}>
            <p>
              API: <strong>{state.readiness.status === 'ok' ? 'ready' : 'not ready'}</strong>
            </p>
            <ul>
              {Object.entries(state.readiness.checks).map(([name, check]) => (
                <li key={name}>
                  {name}: {check.ok ? `ok (${check.ms} ms)` : `failing — ${check.error ?? 'no answer'}`}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </main>
  );
}
