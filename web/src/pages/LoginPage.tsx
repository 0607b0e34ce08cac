import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import { keys, useMe } from '../api/queries';
import { fetchReadiness } from '../api/readiness';
import type { Me } from '../api/types';
import { Button, bindValue, ErrorNote, TextField } from '../components/ui';

/** Sign in with email and password; the API sets the HttpOnly session cookie. */
export function LoginPage() {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { from?: string; signedOut?: boolean };
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailRef = useRef<HTMLInputElement>(null);
  const readiness = useQuery({
    queryKey: ['readyz'],
    queryFn: ({ signal }) => fetchReadiness(signal),
    refetchInterval: 10_000,
    retry: false,
  });

  const login = useMutation({
    mutationFn: () => api.post('/auth/login', { json: { email, password } }),
    onSuccess: ({ user }) => {
      client.setQueryData<Me>(keys.me, { user, authenticatedBy: 'session' });
      navigate(state.from && state.from !== '/login' ? state.from : '/', { replace: true });
    },
  });

  useEffect(() => emailRef.current?.focus(), []);

  if (me.data) return <Navigate to="/" replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };

  return (
    <main className="login-page" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-heading" noValidate>
        <h1 id="login-heading">
          <span className="brand-mark" aria-hidden="true">
            ◎
          </span>{' '}
          OSINT Platform
        </h1>
        <p className="muted">Sign in to your investigations.</p>
        {state.signedOut ? (
          <p className="notice" role="status">
            You are signed out.
          </p>
        ) : null}
        <TextField
          ref={emailRef}
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          {...bindValue(email, setEmail)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          {...bindValue(password, setPassword)}
        />
        <ErrorNote error={login.error} />
        <Button type="submit" variant="primary" busy={login.isPending} disabled={!email || !password}>
          Sign in
        </Button>
        <p
          className="platform-status muted"
          data-testid="api-status"
          data-status={readiness.data?.status ?? 'unknown'}
        >
          {readiness.isError
            ? 'The API cannot be reached right now.'
            : readiness.data
              ? readiness.data.status === 'ok'
                ? 'Platform ready.'
                : `Platform degraded: ${readiness.data.failed.join(', ')} not answering.`
              : 'Checking the platform…'}
        </p>
      </form>
    </main>
  );
}
