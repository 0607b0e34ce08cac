import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { expect, type Harness, SkipStep } from './harness.js';

/**
 * The researcher's walk through the web app, against a running stack (scripts/e2e/run.ts starts it):
 * sign in, create an investigation, paste a report with defanged indicators, watch the job complete, find
 * a selector, open its evidence, see it in the graph, search for it, export STIX and check the download,
 * sign out; then a viewer, who sees no edit controls and whom the API refuses. Screenshots of each page
 * go to `shotsDir`; the workspace's time to interactive is measured on the seed data set.
 */

export interface WalkOptions {
  browser: Browser;
  baseUrl: string;
  shotsDir: string;
  /** Saves a download and returns where, and its text (the runner owns the file system). */
  readDownload: (download: Download) => Promise<{ path: string; text: string }>;
  password: string;
}

export interface WalkFindings {
  ttiMs: number[];
  /** Per cold load: when the document, the API calls and the table were done (ms from navigation start). */
  ttiBreakdown: {
    tti: number;
    domContentLoaded: number;
    firstApiRequest: number;
    lastApiResponse: number;
    apiRequests: number;
  }[];
  jobTransport?: string;
  exportBytes?: number;
}

const VIEWPORT = { width: 1440, height: 900 };

/**
 * Read in the page after the table rendered: navigation and resource timings (ms from navigation start).
 * A string, so this file also type-checks under the repository's Node tsconfig (no DOM library).
 */
const TIMING_SCRIPT = `(() => {
  const at = (n) => Math.round(n ?? -1);
  const nav = performance.getEntriesByType('navigation')[0];
  const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/'));
  return {
    tti: at(performance.getEntriesByName('osint:workspace-table-rendered')[0]?.startTime),
    domContentLoaded: at(nav?.domContentLoadedEventEnd),
    firstApiRequest: at(Math.min(...api.map((e) => e.startTime))),
    lastApiResponse: at(Math.max(...api.map((e) => e.responseEnd))),
    apiRequests: api.length,
  };
})()`;

/** Loopback only: any request that would leave the machine is aborted (and counted). */
async function loopbackOnly(context: BrowserContext, blocked: string[]) {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:') {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort();
  });
}

async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Investigations' }).waitFor();
}

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Investigation sections' }).getByRole('link', { name, exact: true });

async function apiStatus(page: Page, method: string, url: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.status;
    },
    { method, url, body },
  );
}

export async function walk(h: Harness, opts: WalkOptions): Promise<WalkFindings> {
  const { browser, baseUrl, shotsDir, password } = opts;
  const findings: WalkFindings = { ttiMs: [], ttiBreakdown: [] };
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  // What Chromium reports refusing under the Content-Security-Policy (docker/nginx/osint-headers.conf, which
  // `vite preview` sends too): the app must work without anything the policy refuses.
  const cspViolations: string[] = [];
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage: false });
  const tag = Math.random().toString(36).slice(2, 8);
  const domain = `cdn-${tag}.darkharbor.net`;
  const title = `E2E Operation ${tag}`;
  const report = [
    `Incident note ${tag}`,
    '',
    `The loader beacons to cdn-${tag}[.]darkharbor[.]net every 60 seconds and fetches`,
    `hxxps://cdn-${tag}[.]darkharbor[.]net/stage2.bin from 185.220.101[.]47.`,
    'Test traffic also went to 203.0.113[.]9 (a documentation range) and example[.]com.',
    `Operators used ops-${tag}[@]darkharbor[.]net and exploited CVE-2024-3400.`,
    'Dropper SHA-256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ].join('\n');

  const alice = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', acceptDownloads: true });
  await loopbackOnly(alice, blocked);
  const page = await alice.newPage();
  h.current = page;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    else if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
      pageErrors.push(`console: ${m.text()}`);
  });
  const eventStreams: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/events')) eventStreams.push(r.url());
  });
  let investigationId = '';
  let paperLanternUrl = '';

  await h.step('sign in (a wrong password is explained in words first)', async () => {
    const served = await page.goto(`${baseUrl}/login`);
    const policy = (await served?.allHeaders())?.['content-security-policy'] ?? '';
    expect(
      /(^|;)\s*default-src 'self'\s*(;|$)/.test(policy) && /(^|;)\s*script-src 'self'\s*(;|$)/.test(policy),
      `the page is served under the strict Content-Security-Policy (got "${policy}")`,
    );
    await page.getByRole('heading', { name: /OSINT Platform/ }).waitFor();
    await shot(page, 'login');
    await page.getByLabel('Email').fill('alice@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'That email and password do not match an account.' })
      .waitFor();
    await page.getByLabel('Password').fill(password);
    const perRow: string[] = [];
    const countPerRow = (r: { url(): string }) => {
      if (/\/investigations\/[0-9a-f-]{36}\/(members|audit)/.test(r.url())) perRow.push(r.url());
    };
    page.on('request', countPerRow);
    const listed = page.waitForResponse((r) => /\/api\/v1\/investigations(\?|$)/.test(r.url()));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const list = (await (await listed).json()) as {
      items: { title: string; memberCount?: number; lastActivityAt?: string }[];
    };
    const lantern = list.items.find((i) => i.title === 'Operation Paper Lantern');
    expect(
      typeof lantern?.memberCount === 'number' && typeof lantern.lastActivityAt === 'string',
      `the list answers memberCount and lastActivityAt itself (got ${JSON.stringify(lantern)})`,
    );
    await page.getByTestId('investigations-table').waitFor();
    await page.getByTestId('member-count').first().filter({ hasText: /\d/ }).waitFor();
    page.off('request', countPerRow);
    expect(perRow.length === 0, `no request per row for members or activity (got ${perRow.join(', ')})`);
    const href = await page.getByRole('link', { name: 'Operation Paper Lantern' }).getAttribute('href');
    expect(href, 'the seeded investigation "Operation Paper Lantern" is listed');
    paperLanternUrl = `${baseUrl}${href}`;
    await shot(page, 'investigations');
  });

  await h.step(
    'create an investigation',
    async () => {
      await page.getByRole('button', { name: 'New investigation' }).click();
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('TLP').selectOption('amber');
      await page.getByRole('button', { name: 'Create and start ingesting' }).click();
      await page.waitForURL(/\/investigations\/[0-9a-f-]{36}\/ingest$/);
      investigationId = page.url().split('/investigations/')[1]?.split('/')[0] ?? '';
      await page.getByTestId('investigation-title').filter({ hasText: title }).waitFor();
    },
    { needs: ['sign in (a wrong password is explained in words first)'] },
  );

  await h.step(
    'paste a report with defanged indicators and watch the job complete',
    async () => {
      await page.getByLabel('Title', { exact: true }).fill(`Incident note ${tag}`);
      await page.getByLabel('Text', { exact: true }).fill(report);
      await page.getByRole('button', { name: 'Extract selectors' }).click();
      const job = page.getByTestId('job').first();
      await job.waitFor();
      await job.getByRole('progressbar').waitFor();
      await page.locator('[data-testid="job"][data-status="succeeded"]').first().waitFor({ timeout: 60_000 });
      const summary = (await page.getByTestId('job-summary').first().textContent()) ?? '';
      expect(
        /\d+ selectors?, \d+ new, \d+ flagged as allow-listed/.test(summary),
        `job summary reads like "37 selectors, 5 new, 2 flagged as allow-listed": got "${summary}"`,
      );
      findings.jobTransport = (await job.getAttribute('data-transport')) ?? undefined;
      expect(
        eventStreams.some((u) => /\/api\/v1\/jobs\/[0-9a-f-]{36}\/events$/.test(u)),
        `the progress bar listened to the job's SSE stream (requests: ${eventStreams.join(', ') || 'none'})`,
      );
      await shot(page, 'ingest');
    },
    { needs: ['create an investigation'], timeoutMs: 90_000 },
  );

  await h.step(
    'find the selector in the Selectors tab',
    async () => {
      await tab(page, 'Selectors').click();
      await page.getByTestId('selectors-table').waitFor();
      await page.getByLabel('Type').selectOption('domain');
      await page.getByLabel('Find in list').fill(tag);
      await page.getByRole('button', { name: domain, exact: true }).waitFor();
      await shot(page, 'selectors');
    },
    { needs: ['paste a report with defanged indicators and watch the job complete'] },
  );

  await h.step(
    'open its evidence: the mention is highlighted in the source text',
    async () => {
      const fromApi = page.waitForResponse((r) => /\/selectors\/[0-9a-f-]{36}\/mentions\?/.test(r.url()));
      await page.getByRole('button', { name: domain, exact: true }).click();
      const panel = page.getByTestId('selector-panel');
      await panel.getByRole('heading', { name: domain }).waitFor();
      const answer = await fromApi;
      const mentions = (await answer.json()) as {
        items: { raw: string; start: number; end: number; documentTitle: string }[];
        total: number;
      };
      expect(answer.status() === 200, `the mentions route answers 200 (got ${answer.status()})`);
      const first = mentions.items[0];
      expect(
        first?.raw === `cdn-${tag}[.]darkharbor[.]net` && first.documentTitle === `Incident note ${tag}`,
        `the API lists the mention as written, with its document (got ${JSON.stringify(first)})`,
      );
      const mark = panel.getByTestId('evidence').locator('mark').first();
      await mark.waitFor();
      const raw = (await mark.textContent()) ?? '';
      expect(raw === first?.raw, `the panel highlights the API's mention: "${raw}"`);
      const offsets = (await panel.getByTestId('mention').first().textContent()) ?? '';
      expect(
        offsets.includes(`offset ${first?.start}–${first?.end}`),
        `the panel shows the stored offsets (got "${offsets}")`,
      );
      expect(
        (await page.getByText(/located (in the text )?by the browser/i).count()) === 0,
        'no "located by the browser" label: the offsets come from the API',
      );
      await shot(page, 'selector-panel');
      const highlights = page.waitForResponse((r) => /\/documents\/[0-9a-f-]{36}\/mentions\?/.test(r.url()));
      await panel
        .getByRole('link', { name: `Incident note ${tag}` })
        .first()
        .click();
      expect((await highlights).status() === 200, 'the reader asks the API for its highlights');
      const reader = page.getByTestId('document-reader');
      const current = reader.locator('mark.current').first();
      await current.waitFor();
      expect(
        ((await current.textContent()) ?? '') === first?.raw,
        'the reader highlights the same text at the same offsets',
      );
      await shot(page, 'documents');
    },
    { needs: ['find the selector in the Selectors tab'] },
  );

  await h.step(
    'see it in the graph',
    async () => {
      await page.getByTestId('selector-panel').getByRole('link', { name: 'Show in graph' }).click();
      await page.getByTestId('graph-canvas').waitFor();
      await page.waitForFunction(
        (value) =>
          (globalThis as unknown as { __osintGraph?: { nodes(): string[] } }).__osintGraph
            ?.nodes()
            .includes(value) ?? false,
        domain,
        { timeout: 20_000 },
      );
      await page.waitForTimeout(500); // let the layout settle for the screenshot
      await shot(page, 'graph');
    },
    { needs: ['open its evidence: the mention is highlighted in the source text'] },
  );

  await h.step(
    'search for it (substring on values, full text with snippets)',
    async () => {
      await page.getByTestId('selector-panel').getByRole('link', { name: 'Search for it' }).click();
      await page.getByTestId('selector-hits').getByRole('button', { name: domain, exact: true }).waitFor();
      // Part of a value: a substring of several selectors, and a word of the report's text.
      await page.getByLabel('Search for').fill('darkharbor');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page
        .getByTestId('selector-hits')
        .getByRole('button', { name: `ops-${tag}@darkharbor.net` })
        .waitFor();
      const hits = page.getByTestId('document-hits');
      await hits.getByRole('link', { name: `Incident note ${tag}` }).waitFor();
      await hits.locator('mark').first().waitFor();
      await shot(page, 'search');
    },
    { needs: ['find the selector in the Selectors tab'] },
  );

  await h.step(
    'activity and members pages',
    async () => {
      await tab(page, 'Activity').click();
      await page.getByTestId('audit-table').getByText('document.create').first().waitFor();
      await shot(page, 'activity');
      await tab(page, 'Members').click();
      await page.getByTestId('members-table').getByText('alice@example.com').waitFor();
      await shot(page, 'members');
    },
    { needs: ['create an investigation'] },
  );

  await h.step(
    'export STIX 2.1 and check the file downloads',
    async () => {
      await tab(page, 'Export').click();
      await page.getByRole('button', { name: 'Export STIX 2.1' }).click();
      const link = page.getByTestId('download-link');
      const unavailable = page.getByTestId('export-unavailable');
      await Promise.race([link.waitFor({ timeout: 60_000 }), unavailable.waitFor({ timeout: 60_000 })]);
      if (await unavailable.isVisible()) {
        await shot(page, 'export');
        throw new SkipStep(
          `API gap: POST /api/v1/investigations/{id}/exports is not a route; the Export tab says so (${await unavailable.textContent()})`,
        );
      }
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const { text } = await opts.readDownload(download);
      findings.exportBytes = new TextEncoder().encode(text).length;
      const bundle = JSON.parse(text) as { type?: string; objects?: { type: string; value?: string }[] };
      expect(bundle.type === 'bundle', `the download is a STIX bundle (type ${bundle.type})`);
      expect(
        bundle.objects?.some((o) => o.type === 'domain-name' && o.value === domain),
        `the bundle holds domain-name ${domain}`,
      );
      await shot(page, 'export');
    },
    { needs: ['paste a report with defanged indicators and watch the job complete'], timeoutMs: 90_000 },
  );

  await h.step(
    'export JSON and import it as a new investigation',
    async () => {
      await page.getByRole('button', { name: 'Export JSON' }).click();
      const link = page.getByTestId('download-link').filter({ hasText: 'JSON' });
      await link.waitFor({ timeout: 60_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const saved = await opts.readDownload(download);
      const parsed = JSON.parse(saved.text) as { format?: string };
      expect(
        parsed.format === 'osint-platform/investigation-export',
        `a JSON export (format ${parsed.format})`,
      );
      await page.goto(`${baseUrl}/`);
      await page.getByLabel('Import a JSON export…').setInputFiles(saved.path);
      await page.waitForURL(
        (url) => !url.pathname.includes(investigationId) && url.pathname.endsWith('/selectors'),
      );
      await page.getByRole('button', { name: domain, exact: true }).waitFor();
    },
    { needs: ['export STIX 2.1 and check the file downloads'], timeoutMs: 90_000 },
  );

  await h.step(
    'time to interactive of the workspace on the seed data (3 cold loads)',
    async () => {
      const state = await alice.storageState();
      for (let i = 0; i < 3; i++) {
        const ctx = await browser.newContext({ viewport: VIEWPORT, storageState: state });
        await loopbackOnly(ctx, blocked);
        const p = await ctx.newPage();
        await p.goto(`${paperLanternUrl}/selectors`);
        await p.locator('[data-testid="selectors-table"] tbody tr').first().waitFor();
        const timing = await p.evaluate<WalkFindings['ttiBreakdown'][number]>(TIMING_SCRIPT);
        expect(timing.tti > 0, 'the app marks the first render of the selectors table');
        findings.ttiMs.push(timing.tti);
        findings.ttiBreakdown.push(timing);
        await ctx.close();
      }
    },
    { needs: ['sign in (a wrong password is explained in words first)'] },
  );

  await h.step(
    'dark theme follows the system setting',
    async () => {
      const ctx = await browser.newContext({
        viewport: VIEWPORT,
        colorScheme: 'dark',
        storageState: await alice.storageState(),
      });
      await loopbackOnly(ctx, blocked);
      const p = await ctx.newPage();
      await p.goto(`${paperLanternUrl}/selectors`);
      await p.locator('[data-testid="selectors-table"] tbody tr').first().waitFor();
      const bg = await p.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(bg === 'rgb(18, 19, 23)', `dark background in a dark system theme (got ${bg})`);
      await p.locator('[data-testid="selectors-table"] tbody tr .value-link').first().click();
      await p.getByTestId('selector-panel').getByTestId('evidence').waitFor();
      await p.getByText('Finding the mentions…').waitFor({ state: 'detached' });
      await p.waitForTimeout(300);
      await shot(p, 'selectors-dark');
      await ctx.close();
    },
    { needs: ['sign in (a wrong password is explained in words first)'] },
  );

  await h.step(
    'sign out',
    async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      expect(
        (await apiStatus(page, 'GET', '/api/v1/auth/me')) === 401,
        'the session is gone after signing out',
      );
      await page.goto(paperLanternUrl);
      await page.getByLabel('Email').waitFor();
    },
    { needs: ['sign in (a wrong password is explained in words first)'] },
  );

  const carol = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  await loopbackOnly(carol, blocked);
  const viewer = await carol.newPage();
  h.current = viewer;
  viewer.on('pageerror', (e) => pageErrors.push(e.message));
  viewer.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  await h.step(
    'a viewer sees no edit controls',
    async () => {
      await signIn(viewer, baseUrl, 'carol@example.org', password);
      await viewer.goto(`${paperLanternUrl}/selectors`);
      await viewer.getByTestId('viewer-notice').waitFor();
      await viewer.locator('[data-testid="selectors-table"] tbody tr').first().waitFor();
      const forbidden = [
        tab(viewer, 'Ingest'),
        viewer.getByLabel('Add a selector'),
        viewer.getByLabel('Select all shown selectors'),
        viewer.getByRole('checkbox'),
      ];
      for (const control of forbidden) expect((await control.count()) === 0, `viewer sees no ${control}`);
      await viewer.locator('[data-testid="selectors-table"] tbody tr .value-link').first().click();
      const panel = viewer.getByTestId('selector-panel');
      await panel.getByTestId('evidence').waitFor();
      await panel.getByText('Finding the mentions…').waitFor({ state: 'detached' });
      expect(
        (await panel.getByRole('button', { name: 'Enrich now' }).count()) === 0,
        'viewer has no "Enrich now"',
      );
      expect(
        (await panel.getByText('Edit tags, note, false positive').count()) === 0,
        'viewer cannot edit tags',
      );
      await shot(viewer, 'viewer');
      await tab(viewer, 'Members').click();
      await viewer.getByTestId('members-table').waitFor();
      expect((await viewer.getByLabel('Add by email').count()) === 0, 'viewer cannot add members');
      expect((await viewer.getByRole('combobox').count()) === 0, 'viewer cannot change roles');
      await tab(viewer, 'Documents').click();
      await viewer.getByRole('navigation', { name: 'Documents' }).getByRole('link').first().click();
      await viewer.getByTestId('document-reader').waitFor();
      expect(
        (await viewer.getByRole('button', { name: 'Delete' }).count()) === 0,
        'viewer cannot delete documents',
      );
    },
    { needs: ['sign in (a wrong password is explained in words first)'] },
  );

  await h.step(
    'the API refuses a viewer who tries anyway (403), and a non-member (404)',
    async () => {
      const inv = paperLanternUrl.split('/investigations/')[1]?.split('/')[0] ?? '';
      const api = `/api/v1/investigations/${inv}`;
      const attempts: [string, string, unknown, number][] = [
        ['POST', `${api}/selectors`, { value: 'viewer-was-here.example.net' }, 403],
        ['PATCH', api, { title: 'renamed by a viewer' }, 403],
        ['POST', `${api}/documents`, { title: 'x', text: 'evil[.]example.net' }, 403],
        ['POST', `${api}/members`, { email: 'dave@example.org', role: 'owner' }, 403],
        ['DELETE', api, undefined, 403],
      ];
      if (investigationId)
        attempts.push(['GET', `/api/v1/investigations/${investigationId}`, undefined, 404]);
      for (const [method, url, body, want] of attempts) {
        const got = await apiStatus(viewer, method, url, body);
        expect(got === want, `${method} ${url} as a viewer answered ${got}, expected ${want}`);
      }
    },
    { needs: ['a viewer sees no edit controls'] },
  );

  await h.step('no uncaught errors in the pages, and nothing left the machine', async () => {
    expect(pageErrors.length === 0, `uncaught page errors: ${pageErrors.join(' | ')}`);
    expect(
      cspViolations.length === 0,
      `the Content-Security-Policy refused: ${cspViolations.slice(0, 3).join(' | ')}`,
    );
    expect(
      blocked.length === 0,
      `requests to non-loopback hosts were blocked: ${blocked.slice(0, 5).join(', ')}`,
    );
  });

  await alice.close();
  await carol.close();
  return findings;
}
