// Issue 20: the office's month end to end in the app. The running Datentabelle "Entwicklung der
// Flüchtlingszahlen" (the seed's layout, CSV in Windows-1252) is continued with the AKDN
// exports of four months: one overlaps (with a planted difference, reported on Qualität), three
// are new. The workbook names the publisher set in the settings, the Datentabelle and the AKDN
// months as sources, has the months as dates and a Definitionen sheet; the chart carries its
// sources; the persons by PKS (exact lines for checking, and a released table checked with the
// series) and the template of the city's PKS mapping.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';
import { download, readWorkbook } from './tools.mjs';

function file(name, lines) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1') };
}

/** PKS of the example mapping per column: § 2 Geduldete, § 2 Asylbewerber, § 3 Asylbewerber, § 3 Geduldete, sonstige. */
const CODES = ['21', '11', '12', '22', '31'];

/** Persons per column and month in the AKDN exports: 4, 5, 6, 7, 8 (+ the month's offset). */
function akdnCounts(m) {
  return CODES.map((_, c) => 4 + c + m);
}

const MONTHS = ['10/2017', '11/2017', '12/2017', '01/2018'];

/** One AKDN export with a month column over the four months. */
const akdn = (() => {
  const lines = ['Berichtsmonat;Az.;Name;Vorname;Geb.-Datum;Geschlecht;Straße;Hausnr.;PLZ;Pers.-Kreis'];
  let id = 0;
  MONTHS.forEach((month, m) => {
    akdnCounts(m).forEach((n, c) => {
      for (let i = 0; i < n; i++) {
        id += 1;
        const day = String((id % 28) + 1).padStart(2, '0');
        lines.push(`${month};${1000 + id};Person${id};Vorname${id};${day}.03.1990;W;Am Kamp;1;45883;${CODES[c]}`);
      }
    });
  });
  return file('AKDN_AsylbLG_2017-10_bis_2018-01.csv', lines);
})();

/** The office's table from 01/2017 to 10/2017; 10/2017 overlaps, its § 3 Asylbewerber is 5 too high. */
const datentabelle = (() => {
  const lines = [
    'Entwicklung der Flüchtlingszahlen;;;;;;;;;',
    ';§ 2;;§ 3;;;;;;',
    'Datum;Geduldete Flüchtl.;Asylbewerber;Asylbewerber;Geduldete Flüchtl.;sonstige;Geduldete gesamt;Asylbewerber gesamt;Insgesamt',
  ];
  for (let month = 1; month <= 10; month++) {
    let cells = [300 + month, 180 + month, 1800 - month, 600 + month, 20];
    if (month === 10) {
      cells = akdnCounts(0);
      cells[2] += 5;
    }
    const [g2, a2, a3, g3, s] = cells;
    lines.push(`01.${String(month).padStart(2, '0')}.2017;${cells.join(';')};${g2 + g3 + s};${a2 + a3};${g2 + a2 + a3 + g3 + s}`);
  }
  return file('Entwicklung_Fluechtlingszahlen.csv', lines);
})();

test('Fortschreibung der Datentabelle mit drei neuen Monaten, Abweichung gemeldet, Herausgeber in der Arbeitsmappe', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('publisher-office').fill('Stadt Gelsenkirchen, Statistik');
  await page.getByTestId('publisher-office').press('Tab');
  await page.getByTestId('file-input').setInputFiles([datentabelle, akdn]);
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  const row = page.getByTestId('file-row').filter({ hasText: datentabelle.name });
  assert.match(await row.textContent(), /Datentabelle/);

  // Qualität: what was continued, compared, and the planted difference.
  await page.getByTestId('nav-qualitaet').click();
  const notes = await page.getByTestId('quality-notes').textContent();
  assert.match(notes, /Fortschreibung: Datentabelle des Amtes 01\/2017 bis 10\/2017, AKDN-Exporte 10\/2017 bis 01\/2018\./);
  assert.match(notes, /Aus den AKDN-Exporten fortgeschrieben: 11\/2017, 12\/2017, 01\/2018\./);
  assert.match(notes, /Abweichung 10\/2017 „§ 3 Asylbewerber“: Datentabelle 11, AKDN-Exporte 6 \(-5\)\./);

  // The Monatsreihe shows the table's months and the new ones.
  await page.getByTestId('nav-monatsreihe').click();
  const series = page.locator('[data-testid="report-table"][data-key="asylblg_monat"]');
  await series.waitFor();
  const rows = await series.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 13, rows.join('\n'));
  assert.match(rows[0], /^01\.01\.2017/);
  assert.match(rows[12], /^01\.01\.2018/);

  // The workbook: publisher on the contents sheet, both sources, months as dates.
  await page.getByTestId('nav-download').click();
  const { name, bytes } = await download(page, page.getByTestId('download-workbook'));
  assert.match(name, /^lagebild_bericht_/);
  const book = readWorkbook(bytes);
  assert.ok(book.names.includes('Definitionen'), book.names.join(', '));
  const contents = JSON.stringify(book.sheets.Inhalt);
  assert.match(contents, /Herausgeber: Stadt Gelsenkirchen, Statistik/);
  const monthly = book.names.find((n) => n.endsWith('AsylbLG Personen je Monat'));
  assert.ok(monthly, book.names.join(', '));
  const sheet = book.sheets[monthly];
  const text = JSON.stringify(sheet);
  assert.match(text, /Quelle: AKDN sozial \(AsylbLG\), Berichtsmonate 10\/2017 bis 01\/2018/);
  assert.match(text, /Quelle: Datentabelle „Entwicklung der Flüchtlingszahlen“ des Amtes, Berichtsmonate 01\/2017 bis 10\/2017/);
  assert.doesNotMatch(text, /\.csv/);
  const header = sheet.findIndex((r) => r && r[0] === 'Monat');
  assert.ok(header > 0);
  // 01.01.2017 as an Excel date (days since 1899-12-30), not text.
  assert.equal(sheet[header + 1][0], 42736);

  // The chart, ready for a report: dated name; Stichtag, sources, protection and publisher
  // inside; PNG at print resolution (at least 2400 pixels wide, 300 dpi).
  await page.getByTestId('nav-monatsreihe').click();
  const chart = page.locator('[data-testid="graphic"][data-key="asylblg_monat"]');
  await chart.waitFor();
  const svg = await download(page, chart.getByTestId('graphic-svg'));
  assert.match(svg.name, /^lagebild_asylblg_monat_ohne-stichtag\.svg$/);
  const svgText = svg.bytes.toString('utf8');
  assert.doesNotMatch(svgText, /Stichtag: unbekannt/);
  assert.match(svgText, /Quelle: Datentabelle „Entwicklung der Flüchtlingszahlen“ des Amtes, Berichtsmonate 01\/2017 bis 10\/2017/);
  assert.match(svgText, /Geheimhaltung: Tabellensperrung/);
  assert.match(svgText, /Herausgeber: Stadt Gelsenkirchen, Statistik/);
  const png = await download(page, chart.getByTestId('graphic-png'));
  assert.match(png.name, /^lagebild_asylblg_monat_ohne-stichtag\.png$/);
  assert.ok(png.bytes.readUInt32BE(16) >= 2400, `PNG ${png.bytes.readUInt32BE(16)} Pixel breit`);
  assert.equal(png.bytes.subarray(37, 41).toString('latin1'), 'pHYs');
  assert.equal(png.bytes.readUInt32BE(41), 11811);
  // The example PKS mapping is named in the figure that uses it.
  assert.match(svgText, /ACHTUNG – Beispielzuordnung/);

  // PKS: persons of the last month by PKS on Qualität (for checking only, not released); the
  // template of the city's mapping holds every code of the loaded export and no names.
  await page.getByTestId('nav-qualitaet').click();
  const quality = await page.getByTestId('quality-table').textContent();
  // January 2018 is the fourth month: 4 + 3 persons with PKS 21.
  assert.match(quality, /AsylbLG \(AKDN\) 01\/2018: PKS 21 [^)]*\)\s*7 Personen/);
  // And as a released table, protected with the series: grouped by the series' columns.
  const byPks = page.locator('[data-testid="report-table"][data-key="asylblg_pks"]');
  await byPks.waitFor();
  assert.match(await byPks.locator('caption').textContent(), /AsylbLG-Leistungsberechtigte im Monat 01\/2018 nach Personenkreisschlüssel/);
  const pksRows = await byPks.locator('tbody tr').allInnerTexts();
  assert.ok(pksRows.some((r) => /^§ 2 Geduldete\s+7$/.test(r.trim())), pksRows.join(' | '));
  assert.ok(pksRows.some((r) => /^PKS 21 .*\s7$/.test(r.trim())), pksRows.join(' | '));
  assert.ok(pksRows.some((r) => /^Insgesamt\s+45$/.test(r.trim())), pksRows.join(' | '));
  assert.match(await byPks.getByTestId('protection-text').textContent(), /vollständig veröffentlicht/);
  await page.getByTestId('nav-load').click();
  const template = await download(page, page.getByTestId('pks-template'));
  assert.equal(template.name, 'pks_zuordnung_vorlage.toml');
  const toml = template.bytes.toString('utf8');
  for (const code of CODES) assert.match(toml, new RegExp(`code = "${code}"`));
  assert.doesNotMatch(toml, /Person\d|Vorname|Am Kamp/);

  assertCleanSession(session);
});
