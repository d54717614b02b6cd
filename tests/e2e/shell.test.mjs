// The app shell in a real headless Chromium: title, drop zone, empty report area.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';

test('die Seite lädt mit deutschem Titel, Ablagefeld und leerem Berichtsbereich', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  assert.match(await page.title(), /^Lagebild/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.equal(await page.getByTestId('app-title').textContent(), 'Lagebild');
  await page.getByTestId('drop-zone').waitFor({ state: 'visible' });
  assert.match(await page.getByTestId('drop-zone').textContent(), /Daten laden/);
  assert.match(await page.getByTestId('report-empty').textContent(), /Noch keine Daten geladen/);
  assert.equal(await page.getByTestId('file-list').count(), 0);

  assertCleanSession(session);
});

test('ausgewählte Dateien erscheinen mit Name und deutscher Größenangabe', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('file-input').setInputFiles([
    { name: 'ewo_2026-10.csv', mimeType: 'text/csv', buffer: Buffer.alloc(1536, 'a') },
    { name: 'alw.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.alloc(300, 0) },
  ]);
  const rows = page.getByTestId('file-list').locator('tbody tr');
  await rows.first().waitFor();
  assert.deepEqual(await rows.allInnerTexts(), ['ewo_2026-10.csv\t1,5 KB', 'alw.xlsx\t300 Byte']);
  assert.equal(await page.getByTestId('report-empty').count(), 0);

  assertCleanSession(session);
});
