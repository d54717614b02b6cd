// Issue 10, privacy proofs: after a full run with the demo city, no personal value of the inputs
// is found in the browser's storage (localStorage, sessionStorage, IndexedDB, CacheStorage), in
// any console message, in the page, or in any downloaded file (XLSX, CSV, SVG, PNG); in the
// default mode no downloaded table cell holds 1 or 2.
//
// The test searches for the actual synthetic values: the demo city of the app is
// `lagebild-synth --scale demo --seed 1` (what "Demodaten laden" generates in the worker), whose
// ground truth lists every person. Setting LAGEBILD_PROVE_LEAK=1 plants one name in
// localStorage, as a leaking bug would, and the test must then fail (the proof that it can).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import XLSX from 'xlsx';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';
import { download, synthCity } from './tools.mjs';

/** Parses the truth's `;`-separated CSV (no quoting in the truth files). */
function readTruth(dir, file) {
  const [header, ...lines] = fs.readFileSync(path.join(dir, 'truth', file), 'utf8').trim().split('\n');
  const cols = header.split(';');
  return lines.map((line) => Object.fromEntries(line.split(';').map((v, i) => [cols[i], v])));
}

/**
 * Personal values of the demo city that must never appear: full names in both orders, family
 * names that are not also a word of the app's own vocabulary (place and street names, which are
 * public), birth dates in German and ISO form (except firsts of a month, which are also report
 * months), street + house number of residents.
 */
function personalValues(dir) {
  const persons = readTruth(dir, 'persons.csv');
  const addresses = readTruth(dir, 'addresses.csv');
  const publicWords = new Set();
  for (const a of addresses) for (const w of a.street.split(/[\s-]+/)) publicWords.add(w.toLowerCase());
  for (const file of fs.readdirSync(path.join(dir, 'exports', 'geo'))) {
    const text = fs.readFileSync(path.join(dir, 'exports', 'geo', file), 'utf8');
    for (const m of text.matchAll(/"(?:stadtteil|stadtbezirk|name)":"([^"]+)"/g)) {
      for (const w of m[1].split(/[\s-]+/)) publicWords.add(w.toLowerCase());
    }
  }
  // Surnames that are also words of the app's own text (the method "Jaro-Winkler").
  publicWords.add('winkler');
  const byAddress = new Map(addresses.map((a) => [a.address_id, a]));
  const needles = new Set();
  for (const p of persons.slice(0, 4000)) {
    const given = p.given_names.split(' ')[0];
    needles.add(`${given} ${p.family_name}`);
    needles.add(`${p.family_name}, ${given}`);
    if (p.family_name.length >= 5 && !publicWords.has(p.family_name.toLowerCase())) needles.add(p.family_name);
    // Firsts of a month are left out: the app shows the months of the AKDN deliveries that way.
    if (p.birth_precision === 'full' && p.birth_date < '2026-01-01' && !p.birth_date.endsWith('-01')) {
      const [y, m, d] = p.birth_date.split('-');
      needles.add(`${d}.${m}.${y}`);
      needles.add(p.birth_date);
    }
    const a = byAddress.get(p.address_id);
    if (a && p.resident === '1') needles.add(`${a.street} ${a.house_number}${a.suffix}`);
  }
  return [...needles];
}

/** The needles found in `text` (whole words for names, exact for dates and addresses). */
function leaks(text, needles, where) {
  const found = [];
  for (const n of needles) {
    const at = text.indexOf(n);
    if (at < 0) continue;
    const before = text[at - 1] ?? ' ';
    const after = text[at + n.length] ?? ' ';
    if (/[\p{L}\d]/u.test(before) || /[\p{L}\d]/u.test(after)) continue;
    found.push(`${where}: „${n}“`);
  }
  return found;
}

/** Every string of a workbook: cells, sheet names, document properties. */
function workbookText(bytes) {
  const book = XLSX.read(bytes, { type: 'buffer' });
  const parts = [JSON.stringify(book.Props ?? {}), ...book.SheetNames];
  const small = [];
  for (const name of book.SheetNames) {
    const rows = XLSX.utils.sheet_to_json(book.Sheets[name], { header: 1, raw: true, defval: null });
    // Ratio columns ("… in %") hold fractions, where 1 means 100 %; "Veränderung" is the
    // difference of two published counts, not a count of persons.
    const ratio = new Set();
    rows.forEach((row) => row.forEach((v, c) => {
      if (typeof v === 'string' && (v.includes(' in %') || v === 'Veränderung')) ratio.add(c);
    }));
    rows.forEach((row, r) => row.forEach((v, c) => {
      parts.push(String(v ?? ''));
      if ((v === 1 || v === 2) && !ratio.has(c) && name !== 'Inhalt' && name !== 'Metadaten') {
        small.push(`${name}!R${r + 1}C${c + 1}`);
      }
    }));
  }
  return { text: parts.join('\n'), small };
}

test('nach einem vollen Lauf: keine Personenwerte in Speicher, Konsole, Seite und Downloads', async (t) => {
  const city = synthCity({ scale: 'demo', seed: 1 });
  t.after(() => city.cleanup());
  const needles = personalValues(city.dir);
  assert.ok(needles.length > 5000, `nur ${needles.length} Suchwerte`);

  const session = await openApp();
  t.after(() => session.close());
  const { page } = session;
  const consoleText = [];
  page.on('console', (msg) => consoleText.push(msg.text()));
  await waitForApp(session);

  await page.getByTestId('demo-data').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  const pageText = [];
  const files = [];
  for (const nav of ['monatsreihe', 'raeumlich', 'bevoelkerung', 'schulen', 'leistungsbezug', 'qualitaet', 'kreuztabelle']) {
    await page.getByTestId(`nav-${nav}`).click();
    await page.getByTestId(`page-${nav}`).waitFor();
    pageText.push(await page.content());
    // Every chart and map is in the page as the same SVG text its download writes, and every
    // table is in the workbook (checked below). Chromium lets a page start only a few downloads
    // that do not follow a click directly (PNG and CSV are made asynchronously), so the test
    // downloads one chart (SVG and PNG) and one table (CSV) of the first pages that have them.
    if (nav === 'monatsreihe') {
      const graphic = page.getByTestId('graphic').first();
      files.push(await download(page, graphic.getByTestId('graphic-svg')));
      files.push(await download(page, graphic.getByTestId('graphic-png')));
    }
    if (nav === 'bevoelkerung') {
      files.push(await download(page, page.getByTestId('report-table').first().getByTestId('table-csv')));
    }
  }
  await page.getByTestId('nav-download').click();
  files.push(await download(page, page.getByTestId('download-workbook')));
  await page.getByTestId('nav-load').click();
  pageText.push(await page.content());
  // The demo city searched for is the app's: every Meldewesen export of it is in the file list.
  // Text content: groups of many files start closed.
  const listed = (await page.getByTestId('file-row').allTextContents()).join('\n');
  for (const f of city.files.filter((x) => x.source === 'Meldewesen')) {
    assert.ok(listed.includes(f.name), `${f.name} fehlt in der Dateiliste`);
  }

  if (process.env.LAGEBILD_PROVE_LEAK === '1') {
    const planted = needles.find((n) => n.includes(' '));
    await page.evaluate((n) => localStorage.setItem('lagebild-leck', n), planted);
  }

  const storage = await page.evaluate(async () => {
    const dump = (s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join('\n');
    const dbs = (await indexedDB.databases?.()) ?? [];
    return {
      local: dump(localStorage),
      session: dump(sessionStorage),
      indexedDb: dbs.map((d) => d.name).join(','),
      caches: (await caches.keys()).join(','),
    };
  });
  assert.equal(storage.indexedDb, '', 'IndexedDB wurde benutzt');
  assert.equal(storage.caches, '', 'CacheStorage wurde benutzt');

  const found = [
    ...leaks(storage.local, needles, 'localStorage'),
    ...leaks(storage.session, needles, 'sessionStorage'),
    ...leaks(consoleText.join('\n'), needles, 'Konsole'),
    ...leaks(pageText.join('\n'), needles, 'Seite'),
  ];
  assert.equal(files.length, 4, `${files.length} Downloads`);
  const small = [];
  for (const file of files) {
    if (file.name.endsWith('.xlsx')) {
      const book = workbookText(file.bytes);
      found.push(...leaks(book.text, needles, file.name));
      small.push(...book.small);
    } else {
      // SVG, CSV (Windows-1252 or UTF-8) and PNG (text chunks are Latin-1) as Latin-1 and UTF-8.
      found.push(...leaks(file.bytes.toString('utf8'), needles, file.name));
      found.push(...leaks(file.bytes.toString('latin1'), needles, file.name));
    }
    if (file.name.endsWith('.csv')) {
      const cells = file.bytes.toString('latin1').split(/\r?\n/).filter((l) => !l.includes(' in %'));
      for (const line of cells) {
        if (line.split(';').slice(1).some((v) => v === '1' || v === '2')) small.push(`${file.name}: ${line}`);
      }
    }
  }
  assert.deepEqual(found, [], `Personenwerte gefunden:\n  ${found.slice(0, 20).join('\n  ')}`);
  assert.deepEqual(small, [], `Werte 1 oder 2 in Downloads:\n  ${small.slice(0, 20).join('\n  ')}`);
  assertCleanSession(session);
});
