/** Readiness as reported by the API's /readyz (proxied by Vite in development and nginx in production). */
export interface Readiness {
  status: 'ok' | 'unavailable';
  failed: string[];
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  const res = await fetch('/readyz', { signal, headers: { accept: 'application/json' } });
  if (res.status !== 200 && res.status !== 503) throw new Error(`API answered ${res.status}`);
  return (await res.json()) as Readiness;
}
