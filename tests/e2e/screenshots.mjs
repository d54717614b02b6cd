// Screenshots of every page of the app with the demo data, for docs/screenshots/ (docs/app.md).
// Run: node tests/e2e/screenshots.mjs (against dist/ or LAGEBILD_DIST).

import fs from 'node:fs/promises';
import path from 'node:path';
import { openApp, waitForApp } from './harness.mjs';

const OUT = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

const PAGES = [
  ['nav-monatsreihe', 'page-monatsreihe', '02-monatsreihe.png'],
  ['nav-raeumlich', 'page-raeumlich', '03-raeumliche-verteilung.png'],
  ['nav-bevoelkerung', 'page-bevoelkerung', '04-bevoelkerung-aktuell.png'],
  ['nav-schulen', 'page-schulen', '05-schulen.png'],
  ['nav-leistungsbezug', 'page-leistungsbezug', '06-leistungsbezug.png'],
  ['nav-qualitaet', 'page-qualitaet', '07-qualitaet.png'],
  ['nav-kreuztabelle', 'page-kreuztabelle', '08-kreuztabelle.png'],
  ['nav-download', 'page-download', '09-herunterladen.png'],
];

function oddMeldewesen() {
  const text = [
    'Familienname;Vorname(n);Geb.-Tag;Geschlecht;Nationalität;Straße;Hausnummer;Wohnungsstatus',
    'Muster;Erika;03.04.1961;w;deutsch;Musterstraße;12;H',
  ].join('\r\n') + '\r\n';
  return { name: 'EWO_Bestand_neu.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') };
}

const session = await openApp();
try {
  await waitForApp(session);
  const { page } = session;
  await page.setViewportSize({ width: 1280, height: 900 });
  await fs.mkdir(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, '00-start.png'), fullPage: true });
  await page.getByTestId('demo-data').click();
  // The progress bars per stage while the worker runs.
  await page.getByTestId('stages').waitFor({ timeout: 60_000 });
  await page.getByTestId('progress').screenshot({ path: path.join(OUT, '12-verarbeitung.png') });
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  await page.screenshot({ path: path.join(OUT, '01-daten-laden.png') });
  for (const [nav, testid, file] of PAGES) {
    await page.getByTestId(nav).click();
    await page.getByTestId(testid).waitFor();
    // The Kreuztabelle's filters arrive from the worker.
    if (testid === 'page-kreuztabelle') await page.getByTestId('filter-raum-bezirk').waitFor();
    await page.screenshot({ path: path.join(OUT, file) });
  }
  // Three sizes (issue 20): a laptop, a large screen, and 1366×768 at 200 % zoom (a 683×384
  // CSS viewport).
  for (const [name, width, height] of [['1366x768', 1366, 768], ['1920x1080', 1920, 1080], ['zoom200', 683, 384]]) {
    await page.setViewportSize({ width, height });
    for (const [nav, testid, file] of [['nav-load', 'page-load', 'daten-laden'], ['nav-leistungsbezug', 'page-leistungsbezug', 'leistungsbezug'], ['nav-raeumlich', 'page-raeumlich', 'raeumliche-verteilung']]) {
      await page.getByTestId(nav).click();
      await page.getByTestId(testid).waitFor();
      await page.screenshot({ path: path.join(OUT, `13-${name}-${file}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId('nav-load').click();
  await page.getByTestId('file-input').setInputFiles([oddMeldewesen()]);
  await page.getByTestId('mapping-editor').waitFor({ timeout: 60_000 });
  await page.getByTestId('mapping-editor').scrollIntoViewIfNeeded();
  await page.getByTestId('mapping-editor').screenshot({ path: path.join(OUT, '10-zuordnung-pruefen.png') });
  await page.getByTestId('nav-bevoelkerung').click();
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(OUT, '11-bevoelkerung-druck.png'), fullPage: false });
  console.log(`Bildschirmfotos in ${OUT}`);
} finally {
  await session.close();
}
