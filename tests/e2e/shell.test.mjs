// The app shell in a real headless Chromium: title, drop zone, empty report area.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A small Meldewesen export in Windows-1252, as German Excel writes CSV. */
function meldewesenCsv() {
  const text = [
    'Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus;IBAN',
    'Müller;Jürgen;03.04.1961;m;deutsch;Bismarckstraße;12;H;DE02',
    'Öztürk;Ayse;00.05.1990;w;türkisch;Hauptstr.;3;HW;DE03',
    'Nowak;Piotr;31.02.1979;m;polnisch;Ringstraße;1;H;DE04',
  ].join('\r\n') + '\r\n';
  // Latin-1 bytes equal Windows-1252 for these characters.
  return Buffer.from(text, 'latin1');
}

test('eingelesene Dateien erscheinen mit Quelle, Zeilen und Einlesebericht', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('file-input').setInputFiles([
    { name: 'EWO_Bestand_20261031.csv', mimeType: 'text/csv', buffer: meldewesenCsv() },
    { name: 'kaputt.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004kaputt') },
  ]);
  const rows = page.getByTestId('file-row');
  await rows.nth(1).waitFor();
  const cells = async (i) => (await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual((await cells(0)).slice(0, 6), ['EWO_Bestand_20261031.csv', '278 Byte', 'EWO Meldewesen', '3', '2', '1']);
  assert.deepEqual((await cells(1)).slice(0, 3), ['kaputt.xlsx', '10 Byte', 'nicht erkannt']);
  assert.match(await page.getByTestId('file-error').first().textContent(), /beschädigt oder unvollständig/);
  const report = await page.getByTestId('file-report').first().textContent();
  assert.match(report, /„Geburtsdatum“ nicht lesbar/);
  assert.match(report, /Nicht übernommene Spalten \(Datensparsamkeit\): IBAN/);
  // The report describes the bad value by its shape, never shows a name or a birth date.
  assert.doesNotMatch(report, /Nowak|31\.02\.1979/);
  assert.equal(await page.getByTestId('report-empty').count(), 0);

  // "Sitzung beenden" drops everything: the worker's data and the page's list.
  await page.getByTestId('end-session').click();
  await page.getByTestId('confirm-go').click();
  await page.getByTestId('report-empty').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 0);

  assertCleanSession(session);
});

test('eine Datei, die nach der Auswahl verschwindet, meldet sich auf Deutsch; die anderen werden eingelesen', async (t) => {
  const session = await openApp();
  const dir = mkdtempSync(join(tmpdir(), 'lagebild-weg-'));
  t.after(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForApp(session);
  const { page } = session;
  const gone = join(dir, 'EWO_Bestand_20260930.csv');
  const kept = join(dir, 'EWO_Bestand_20260831.csv');
  writeFileSync(gone, meldewesenCsv());
  writeFileSync(kept, meldewesenCsv());

  // The worker is busy generating the demo city; it reads the chosen files (the page hands over
  // only their handles) after one of them has been deleted from the disk.
  await page.getByTestId('demo-data').click();
  await page.getByTestId('file-input').setInputFiles([gone, kept]);
  rmSync(gone);

  const row = (name) => page.getByTestId('file-row').filter({ hasText: name });
  await row('EWO_Bestand_20260930.csv').waitFor({ timeout: 60_000 });
  await row('EWO_Bestand_20260831.csv').waitFor();
  const error = await page.getByTestId('file-error').allTextContents();
  assert.equal(error.length, 1, error.join(' | '));
  assert.match(error[0], /Die Datei „EWO_Bestand_20260930\.csv“ konnte nicht gelesen werden \(.+\)\. Wurde sie nach der Auswahl verschoben, geändert oder gelöscht\?/);
  const cells = (await row('EWO_Bestand_20260831.csv').locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(cells.slice(0, 6), ['EWO_Bestand_20260831.csv', '278 Byte', 'EWO Meldewesen', '3', '2', '1']);
  // The demo's files came through as well.
  assert.ok((await page.getByTestId('file-row').count()) > 100);

  assertCleanSession(session);
});

test('Demodaten laden erzeugt die Beispielstadt im Browser und liest alle Exporte ein', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('demo-data').click();
  const rows = page.getByTestId('file-row');
  await rows.first().waitFor({ timeout: 60_000 });
  const count = await rows.count();
  assert.ok(count > 100, `nur ${count} Dateien`);
  // Text content, not inner text: groups of many files (the AKDN months) start closed.
  const texts = await rows.allTextContents();
  for (const source of ['EWO Meldewesen', 'EWO-ALW (Ausländerwesen)', 'AKDN sozial (AsylbLG)', 'SchILD-NRW (Schülerdaten)', 'Räumliche Gliederung (Adressen)']) {
    assert.ok(texts.some((row) => row.includes(source)), `keine Datei der Quelle ${source}`);
  }
  // No file failed.
  assert.equal(await page.getByTestId('file-error').count(), 0);

  assertCleanSession(session);
});
