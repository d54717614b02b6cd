// The browser test harness: a static server of its own that records every request, Debian's
// Chromium driven by Playwright with every host name resolved to that server (and the server set
// as the browser's proxy, so https:// and IP-literal attempts are recorded with their host too),
// and shared assertions that fail a test on any foreign request or console error.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** The built app under test (`cargo xtask test` sets it; default: the repository's dist/). */
export const DIST = path.resolve(process.env.LAGEBILD_DIST ?? path.join(import.meta.dirname, '..', '..', 'dist'));

const CHROMIUM = process.env.LAGEBILD_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // AutofillServerCommunication: Chromium asks content-autofill.googleapis.com about every
  // page with form fields (selects, number inputs); OptimizationHints*: it fetches page hints
  // from optimizationguide-pa.googleapis.com now and then. A managed office browser has both off.
  '--disable-features=NetworkTimeServiceQuerying,AutofillServerCommunication,OptimizationHints,OptimizationHintsFetching,OptimizationGuideModelDownloading',
];

/**
 * Requests Debian's Chromium makes on its own, whatever page is open and despite the flags above
 * (seen with Chromium 156 on an empty page): the account manager's GAIA cookie check and the
 * on-demand "Optimization Guide On-Device Models Manifest" component. They reach the test server
 * only, never a page, and are ignored *in the server log only*: a page request to these hosts is
 * still caught through the browser's own request events (see harness.test.mjs).
 */
const BROWSER_INTERNAL = [
  { method: 'CONNECT', host: 'accounts.google.com:443', path: '' },
  { method: 'CONNECT', host: 'update.googleapis.com:443', path: '' },
  { method: 'POST', host: 'update.googleapis.com', path: '/service/update2/json' },
];

function isBrowserInternal(record) {
  return BROWSER_INTERNAL.some((b) => b.method === record.method && b.host === record.host
    && record.path.startsWith(b.path));
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves `root` on 127.0.0.1 and records every request it receives, from any host.
 * `mounts` serves further directories under URL prefixes of the same origin (benchmark data).
 * A request is "own" only if it names this server's own host and a file under `root`.
 * Connections that are not HTTP at all (e.g. a TLS handshake for https://other.host, which the
 * resolver rule sends here too) are recorded as foreign.
 */
export async function startServer(root = DIST, { wasmMime = MIME['.wasm'], mounts = {} } = {}) {
  const requests = [];
  let serverHost = '';
  const server = http.createServer(async (req, res) => {
    // Through the proxy setting, foreign requests arrive in absolute form (http://host/path).
    const target = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unbekannt'}`);
    const record = { method: req.method, host: target.host, path: target.pathname + target.search, own: false };
    const ownHost = target.host === serverHost && !req.url?.startsWith('http');
    if (!ownHost) requests.push(record);
    const mount = Object.keys(mounts).find((prefix) => target.pathname.startsWith(prefix));
    const file = !ownHost ? null : mount
      ? await resolveFile(mounts[mount], target.pathname.slice(mount.length - 1))
      : await resolveFile(root, target.pathname);
    // Requests to the own host are recorded once it is known whether they name an own file,
    // so an assertion never sees an own file as foreign while it is still being looked up.
    record.own = file !== null;
    if (ownHost) requests.push(record);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const ext = path.extname(file);
    const type = ext === '.wasm' ? wasmMime : (MIME[ext] ?? 'application/octet-stream');
    let body;
    try {
      body = await fs.readFile(file);
    } catch {
      // Gone between lookup and read (a test's copy removed while the page still loads).
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  });
  server.on('connect', (req, socket) => {
    requests.push({ method: 'CONNECT', host: req.url ?? '', path: '', own: false });
    socket.destroy();
  });
  server.on('clientError', (err, socket) => {
    // A reset is the browser dropping an idle or speculative connection (Node's documented
    // case for ignoring it); anything else that is not HTTP is recorded as foreign.
    if (err.code !== 'ECONNRESET') {
      requests.push({ method: err.code, host: '(keine HTTP-Verbindung)', path: '', own: false });
    }
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  serverHost = `127.0.0.1:${port}`;
  return {
    port,
    origin: `http://${serverHost}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

async function resolveFile(root, rawPath) {
  const pathname = decodeURIComponent(rawPath);
  const relative = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
  const file = path.resolve(root, `.${relative}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    return (await fs.stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Starts Chromium so that every host name resolves to `server` and every non-loopback request
 * goes through it as the proxy: whatever the page tries to reach ends up in the server's log.
 */
export async function launchBrowser(server) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...CHROMIUM_FLAGS,
      `--host-resolver-rules=MAP * 127.0.0.1:${server.port}`,
      `--proxy-server=http://127.0.0.1:${server.port}`,
    ],
  });
}

/**
 * Opens the app (or another page under `root`) and records console errors, page errors and
 * every request the browser makes. Returns a session; call `close()` when done.
 */
export async function openApp({ root = DIST, page: pagePath = '/', wasmMime, mounts } = {}) {
  const server = await startServer(root, { wasmMime, mounts });
  const browser = await launchBrowser(server);
  const context = await browser.newContext({ locale: 'de-DE', acceptDownloads: true });
  const page = await context.newPage();
  const session = { server, browser, context, page, consoleErrors: [], browserRequests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      session.consoleErrors.push(`${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => session.consoleErrors.push(`pageerror: ${err.message}`));
  context.on('request', (req) => session.browserRequests.push(req.url()));
  session.close = async () => {
    await browser.close();
    await server.close();
  };
  await page.goto(server.origin + pagePath);
  return session;
}

/** Waits until the Leptos app has mounted. */
export async function waitForApp(session) {
  await session.page.getByTestId('app-title').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Opens the app for test `t` (closed after it), loads the demo city and waits for its reports.
 * Returns the session.
 */
export async function openDemo(t) {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  await session.page.getByTestId('demo-data').click();
  await session.page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  return session;
}

/** Requests other than the app's own files, seen by the server or by the browser. */
export function foreignRequests(session) {
  const own = session.server.origin + '/';
  const fromServer = session.server.requests
    .filter((r) => !r.own && !isBrowserInternal(r))
    .map((r) => `Server: ${r.method} ${r.host}${r.path}`);
  const fromBrowser = session.browserRequests
    .filter((url) => !url.startsWith(own) && !url.startsWith('data:') && !url.startsWith('blob:'))
    .map((url) => `Browser: ${url}`);
  return [...fromServer, ...fromBrowser];
}

/** Fails if the page requested anything but the app's own files. */
export function assertNoForeignRequests(session) {
  const foreign = foreignRequests(session);
  assert.deepEqual(foreign, [], `Fremde Anfragen:\n  ${foreign.join('\n  ')}`);
}

/** Fails if the page logged an error or warning or threw. */
export function assertNoConsoleErrors(session) {
  assert.deepEqual(session.consoleErrors, [], `Konsolenfehler:\n  ${session.consoleErrors.join('\n  ')}`);
}

/** Both shared assertions; every end-to-end test ends with this. */
export function assertCleanSession(session) {
  assertNoConsoleErrors(session);
  assertNoForeignRequests(session);
}
