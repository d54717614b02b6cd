// "Zuordnung prüfen": a Meldewesen export whose headers need mapping -> the editor shows the
// columns with value shapes (never values) -> the mapping is applied and remembered as a
// setting (never data) -> after a reload the same export imports without asking again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';
import { seriousViolations } from './tools.mjs';

/** A Meldewesen export whose birth date and nationality columns have unusual headers. */
function oddMeldewesen() {
  const text = [
    'Familienname;Vorname(n);Geb.-Tag;Geschlecht;Nationalität;Straße;Hausnummer;Wohnungsstatus',
    'Müller;Jürgen;03.04.1961;m;deutsch;Bismarckstraße;12;H',
    'Öztürk;Ayse;12.05.1990;w;türkisch;Hauptstr.;3;H',
    'Nowak;Piotr;01.02.1979;m;polnisch;Ringstraße;1;H',
  ].join('\r\n') + '\r\n';
  return { name: 'EWO_Bestand_20261031.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') };
}

test('Zuordnung prüfen: Spalten zuordnen, neu einlesen, Zuordnung als Einstellung merken', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('file-input').setInputFiles([oddMeldewesen()]);
  const editor = page.getByTestId('mapping-editor');
  await editor.waitFor({ timeout: 60_000 });
  await page.getByTestId('file-error').first().waitFor();
  const text = await editor.textContent();
  assert.match(text, /Pflichtspalten fehlen: .*„Geburtsdatum“.*„Staatsangehörigkeit“/);
  // Shapes, never values.
  assert.match(text, /99\.99\.9999/);
  assert.doesNotMatch(text, /Müller|Nowak|1961|Bismarck/);
  assert.match(await page.getByTestId('mapping-missing').textContent(), /Noch nicht zugeordnet: „Geburtsdatum“, „Staatsangehörigkeit“/);
  assert.deepEqual(await seriousViolations(page), []);

  await page.getByLabel('Geb.-Tag').selectOption({ label: 'Geburtsdatum (Pflicht)' });
  await page.getByLabel('Nationalität').selectOption({ label: 'Staatsangehörigkeit (Pflicht)' });
  assert.match(await page.getByTestId('mapping-missing').textContent(), /Alle Pflichtmerkmale sind zugeordnet/);
  await page.getByTestId('mapping-apply').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('mapping-editor').count(), 0);
  assert.equal(await page.getByTestId('file-error').count(), 0);
  const cells = (await page.getByTestId('file-row').first().locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual([cells[0], cells[2], cells[3], cells[4]], ['EWO_Bestand_20261031.csv', 'EWO Meldewesen', '3', '3']);

  // Remembered as a setting: the mapping, never a value.
  const stored = await page.evaluate(() => localStorage.getItem('lagebild.einstellungen'));
  assert.match(stored, /Geb\.-Tag/);
  assert.doesNotMatch(stored, /Müller|Nowak|1961/);

  // After a reload the same export is imported with the remembered mapping.
  // With data loaded the browser asks before leaving (session.test.mjs): leave.
  page.once('dialog', (d) => d.accept());
  await page.reload();
  await waitForApp(session);
  await page.getByTestId('file-input').setInputFiles([oddMeldewesen()]);
  await page.getByTestId('file-row').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('mapping-editor').count(), 0);
  assert.equal(await page.getByTestId('file-error').count(), 0);

  // The settings file round-trips: saved, forgotten, loaded again.
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('settings-save').click()]);
  assert.equal(saved.suggestedFilename(), 'lagebild_einstellungen.json');
  const savedPath = await saved.path();
  await page.getByTestId('settings-forget').click();
  assert.equal(await page.evaluate(() => localStorage.getItem('lagebild.einstellungen')), null);
  await page.getByTestId('settings-file').setInputFiles(savedPath);
  await page.getByText('Einstellungen geladen').waitFor();
  assert.match(await page.evaluate(() => localStorage.getItem('lagebild.einstellungen')), /Geb\.-Tag/);

  assertCleanSession(session);
});

/** A Meldewesen export that also carries the residence title: its columns fit ALW as well. */
function ambiguousExport() {
  const text = [
    'Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus;Aufenthaltsart;Erteilungsgrund;gültig bis',
    'Haddad;Ahmad;15.06.1987;m;syrisch;Bismarckstraße;12;H;Aufenthaltserlaubnis;§ 25 Abs. 2 AufenthG;31.12.2027',
    'Öztürk;Ayse;12.05.1990;w;türkisch;Hauptstr.;3;H;Niederlassungserlaubnis;§ 9 AufenthG;',
    'Nowak;Piotr;01.02.1979;m;polnisch;Ringstraße;1;H;;;',
  ].join('\r\n') + '\r\n';
  return { name: 'Export_Einwohner_20261031.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') };
}

test('Zuordnung prüfen bei unsicherer Quelle: Quelle wählen, die Datei ersetzt ihre erste Einlesung', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('file-input').setInputFiles([ambiguousExport()]);
  const editor = page.getByTestId('mapping-editor');
  await editor.waitFor({ timeout: 60_000 });
  const text = await editor.textContent();
  assert.match(text, /Die Quelle ist nicht sicher erkannt \(.*passt aber auch zu/);
  assert.doesNotMatch(text, /Haddad|Öztürk|1987|Bismarck/);
  // The file was read (no error) and is waiting for the analyst's confirmation.
  assert.equal(await page.getByTestId('file-error').count(), 0);
  assert.deepEqual(await seriousViolations(page), []);

  await page.getByTestId('mapping-source').selectOption({ label: 'EWO Meldewesen' });
  // The columns are suggested anew for the chosen source.
  assert.match(await page.getByTestId('mapping-missing').textContent(), /Alle Pflichtmerkmale sind zugeordnet/);
  await page.getByTestId('mapping-apply').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  await until(async () => await page.getByTestId('mapping-editor').count() === 0);
  const rows = page.getByTestId('file-row');
  assert.equal(await rows.count(), 1, 'die Datei steht einmal da');
  const cells = (await rows.first().locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual([cells[0], cells[2], cells[3], cells[4]], ['Export_Einwohner_20261031.csv', 'EWO Meldewesen', '3', '3']);
  // Counted once: three residents in the population total.
  await page.getByTestId('nav-qualitaet').click();
  assert.match(await page.getByTestId('sources').textContent(), /Export_Einwohner_20261031\.csv/);
  assert.equal((await page.getByTestId('sources').textContent()).match(/Export_Einwohner_20261031\.csv/g).length, 1);

  assertCleanSession(session);
});

async function until(check, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) assert.fail('Bedingung nicht erfüllt');
    await new Promise((r) => setTimeout(r, 50));
  }
}
