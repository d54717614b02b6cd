// Issue 16, finding 11: a file name gives the reporting month or the Stichtag only if it names
// exactly one. An AKDN export whose name names two months is not imported until the analyst
// gives the month beside the file; a snapshot whose name names two dates is imported without a
// Stichtag and the analyst is asked for it. Each answer reads the file again and replaces its
// first reading; the released workbook names the month and the Stichtag, never the file name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';
import { download, readWorkbook, seriousViolations } from './tools.mjs';

function file(name, lines) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1') };
}

/** An AKDN export without a month column; its name holds an export date and a month. */
const akdn = file('AKDN_vom_05.12.2017_fuer_2017-11.csv', [
  'Az.;Name;Vorname;Geb.-Datum;Geschlecht;Straße;Hausnr.;PLZ;Pers.-Kreis',
  '1;Beispiel;Anna;01.01.1990;W;Am Kamp;1;45883;12',
  '2;Beispiel;Berta;02.01.1990;W;Am Kamp;1;45883;12',
  '3;Beispiel;Carla;03.01.1990;W;Am Kamp;1;45883;22',
]);

/** An ALW snapshot whose name holds a birth date and the Stichtag. */
const alw = file('ALW_Mustermann_01.02.1990_2026-10-24.csv', [
  'Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Aufenthaltsstatus;Rechtsgrundlage;Strasse;Hausnummer',
  'Beispiel;Dora;1991-05-06;w;syrisch;Duldung;§ 60a AufenthG;Am Kamp;1',
  'Beispiel;Emil;2001-07-08;m;syrisch;Duldung;§ 60a AufenthG;Am Kamp;1',
  'Beispiel;Frida;2010-09-10;w;syrisch;Aufenthaltsgestattung;§ 55 AsylG;Am Kamp;1',
]);

const gliederung = file('Gliederung.csv', [
  'Straße;Hausnummer;Zusatz;PLZ;Baublock;Stadtteil-Nr;Stadtteil;Stadtbezirk-Nr;Stadtbezirk',
  'Am Kamp;1;;45883;104001;04;Feldmark;1;Gelsenkirchen-Mitte',
]);

/** The row of the file list for `name` and the report row below it. */
function rowsOf(page, name) {
  const row = page.getByTestId('file-row').filter({ hasText: name });
  return { row, details: row.locator('xpath=following-sibling::tr[1]') };
}

test('Berichtsmonat und Stichtag angeben, wenn der Dateiname mehrere nennt', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('file-input').setInputFiles([gliederung, akdn, alw]);
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });

  // AKDN: not imported, the month is asked for with the two candidates.
  const a = rowsOf(page, akdn.name);
  assert.match(await a.details.getByTestId('file-error').textContent(), /Berichtsmonat ist nicht eindeutig.*12\/2017, 11\/2017/);
  assert.match(await a.details.getByTestId('dating').textContent(), /Berichtsmonat/);
  // ALW: imported (nobody rejected for a birth date after 01.02.1990), Stichtag asked for.
  const w = rowsOf(page, alw.name);
  let cells = (await w.row.locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual([cells[3], cells[4], cells[5]], ['3', '3', '0']);
  assert.match(await w.details.getByTestId('dating-message').textContent(), /Stichtag ist nicht eindeutig.*01\.02\.1990, 24\.10\.2026/);
  assert.deepEqual(await seriousViolations(page), []);

  // An empty answer is refused with a notice, nothing is sent.
  await a.details.getByTestId('dating-apply').click();
  await page.getByText('Bitte wählen Sie zuerst einen gültigen Berichtsmonat.').waitFor();

  await a.details.getByTestId('dating-input').fill('2017-11');
  await a.details.getByTestId('dating-apply').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  await page.waitForFunction((name) => {
    const row = [...document.querySelectorAll('[data-testid="file-row"]')].find((r) => r.textContent.includes(name));
    return row && !row.nextElementSibling.querySelector('[data-testid="file-error"]');
  }, akdn.name, { timeout: 60_000 });
  assert.equal(await page.getByTestId('file-row').filter({ hasText: akdn.name }).count(), 1);
  cells = (await rowsOf(page, akdn.name).row.locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual([cells[2], cells[4]], ['AKDN sozial (AsylbLG)', '3']);

  await w.details.getByTestId('dating-input').fill('2026-10-24');
  await w.details.getByTestId('dating-apply').click();
  await page.waitForFunction((name) => {
    const row = [...document.querySelectorAll('[data-testid="file-row"]')].find((r) => r.textContent.includes(name));
    return row && !row.nextElementSibling.querySelector('[data-testid="dating"]');
  }, alw.name, { timeout: 60_000 });
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('file-row').count(), 3);
  assert.match(await rowsOf(page, alw.name).details.getByTestId('file-report').textContent(), /Stichtag: 24\.10\.2026/);

  // The workbook names the registers with the month and the Stichtag given, not the files.
  await page.getByTestId('go-download').click();
  const book = readWorkbook((await download(page, page.getByTestId('download-workbook'))).bytes);
  const text = JSON.stringify(book.sheets);
  assert.match(text, /Quelle: AKDN sozial \(AsylbLG\), Berichtsmonat 11\/2017/);
  assert.match(text, /Quelle: EWO-ALW \(Ausländerwesen\), Stichtag 24\.10\.2026/);
  assert.doesNotMatch(text, /Mustermann|AKDN_vom|\.csv/);

  assertCleanSession(session);
});
