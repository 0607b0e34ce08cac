import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import { useMe } from '../api/queries';
import { Button, ErrorNote, Loading } from '../components/ui';

/** Sends anonymous visitors to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading label="Checking your session…" />;
  // A failed *re*-check (API restarting, network blip) keeps the page: the session was fine a moment ago.
  if (me.isError && me.data === undefined) {
    return (
      <main className="page">
        <ErrorNote error={me.error} action={<Button onClick={() => me.refetch()}>Try again</Button>} />
      </main>
    );
  }
  if (!me.data) {
    return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return <>{children}</>;
}

/** Header (app name, who is signed in, sign out) around every signed-in page. */
export function Shell() {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api.post('/auth/logout'),
    onSettled: () => {
      client.clear();
      client.setQueryData(['me'], null);
      navigate('/login', { replace: true, state: { signedOut: true } });
    },
  });
  const user = me.data?.user;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◎
          </span>
          OSINT Platform
        </Link>
        <nav aria-label="Main" className="topnav">
          <Link to="/">Investigations</Link>
        </nav>
        <div className="whoami">
          {user ? (
            <span data-testid="whoami" title={user.email}>
              {user.displayName}
              {user.role === 'admin' ? <span className="muted"> · admin</span> : null}
            </span>
          ) : null}
          <Button variant="ghost" onClick={() => signOut.mutate()} busy={signOut.isPending}>
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
