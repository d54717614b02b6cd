// Issue 20, "never lose work by accident": ending the session, cancelling a re-run and
// removing a file ask first in an in-page dialog while data is loaded (never without data);
// leaving or reloading the page asks through the browser's own beforeunload question only
// while data is loaded; every page has an address in the URL fragment, so Back and Forward
// move between pages inside the app and an address opens its page; a wrongly loaded file is
// removed from the session and the reports are made again from the rest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';

function csv(name, lines) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1') };
}

/** A small Meldewesen snapshot (3 residents, the Stichtag in the name). */
const residents = csv('EWO_Bestand_20261031.csv', [
  'Familienname;Vorname(n);Geburtsdatum;Geschlecht;Staatsangehörigkeit;Straße;Hausnummer;Wohnungsstatus',
  'Beispiel;Anna;03.04.1961;w;deutsch;Am Kamp;1;H',
  'Beispiel;Berta;12.05.1990;w;syrisch;Am Kamp;1;H',
  'Beispiel;Carl;01.02.1979;m;polnisch;Am Kamp;1;H',
]);

/** The spatial structure for the address of `residents`. */
const gliederung = csv('Gliederung.csv', [
  'Straße;Hausnummer;Zusatz;PLZ;Baublock;Stadtteil-Nr;Stadtteil;Stadtbezirk-Nr;Stadtbezirk',
  'Am Kamp;1;;45883;104001;04;Feldmark;1;Gelsenkirchen-Mitte',
]);

/** True if a beforeunload handler of the page asks before leaving (a synthetic event). */
function asksBeforeLeaving(page) {
  return page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

async function loadSmall(page, files = [residents, gliederung]) {
  await page.getByTestId('file-input').setInputFiles(files);
  await page.getByTestId('reports-ready').waitFor({ timeout: 60_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
}

async function loadDemo(page) {
  await page.getByTestId('demo-data').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 180_000 });
}

/** The data-testid of the focused element. */
function focused(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? '');
}

test('Sitzung beenden fragt nur mit geladenen Daten; Weiterarbeiten und Escape behalten sie, Bestätigen beendet', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  const dialog = page.getByTestId('confirm-dialog');

  // Without data: no question, no beforeunload handler.
  assert.equal(await asksBeforeLeaving(page), false);
  await page.getByTestId('end-session').click();
  await page.getByTestId('notice').getByText('Sitzung beendet').waitFor();
  assert.equal(await dialog.isVisible(), false);

  await loadSmall(page);
  assert.equal(await page.getByTestId('file-row').count(), 2);
  assert.equal(await asksBeforeLeaving(page), true);

  // "Weiterarbeiten" keeps everything; the safe answer has the focus, and the focus returns.
  await page.getByTestId('end-session').click();
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('confirm-title').textContent(), 'Sitzung beenden?');
  assert.match(await page.getByTestId('confirm-text').textContent(), /aus dem Speicher entfernt/);
  assert.equal(await focused(page), 'confirm-keep');
  assert.equal(await page.getByTestId('confirm-keep').textContent(), 'Weiterarbeiten');
  await page.getByTestId('confirm-keep').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await focused(page), 'end-session');
  assert.equal(await page.getByTestId('file-row').count(), 2);
  await page.getByTestId('reports-ready').waitFor();

  // Escape keeps everything too.
  await page.getByTestId('end-session').click();
  await dialog.waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('file-row').count(), 2);
  assert.equal(await asksBeforeLeaving(page), true);

  // Going ahead ends the session: no data, no handler any more.
  await page.getByTestId('end-session').click();
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('confirm-go').textContent(), 'Sitzung beenden');
  await page.getByTestId('confirm-go').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('report-empty').waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /Sitzung beendet/);
  assert.equal(await page.getByTestId('reports-ready').count(), 0);
  assert.equal(await asksBeforeLeaving(page), false);

  assertCleanSession(session);
});

test('Neu laden: der Browser fragt nur, solange Daten geladen sind', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  const asked = [];
  let stay = true;
  page.on('dialog', async (d) => {
    asked.push(d.type());
    if (stay) await d.dismiss();
    else await d.accept();
  });

  // Without data (after a click, so the browser would be allowed to ask): reloaded at once.
  await page.getByTestId('nav-monatsreihe').click();
  await page.getByTestId('nav-load').click();
  await page.reload();
  await waitForApp(session);
  assert.deepEqual(asked, []);

  // With data: the browser's own question; staying keeps the data.
  await loadSmall(page);
  await page.evaluate(() => { location.reload(); });
  for (let i = 0; i < 50 && asked.length === 0; i += 1) await page.waitForTimeout(100);
  assert.deepEqual(asked, ['beforeunload']);
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('file-row').count(), 2);

  // Leaving anyway: the page is new and empty, and asks nothing more.
  stay = false;
  await page.reload();
  await waitForApp(session);
  assert.deepEqual(asked, ['beforeunload', 'beforeunload']);
  await page.getByTestId('report-empty').waitFor();
  assert.equal(await asksBeforeLeaving(page), false);

  assertCleanSession(session);
});

test('Seitenadressen: Navigation legt Verlaufseinträge an, Zurück und Vor wechseln die Seite, eine Adresse öffnet ihre Seite', async (t) => {
  const session = await openApp({ page: '/#/herunterladen' });
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  const hash = () => page.evaluate(() => location.hash);

  // A direct address opens its page.
  await page.getByTestId('page-download').waitFor();
  assert.equal(await page.getByTestId('nav-download').getAttribute('aria-current'), 'page');

  // Navigating writes the page's address; the data stay through Back and Forward.
  await page.getByTestId('nav-load').click();
  assert.equal(await hash(), '#/laden');
  await loadSmall(page);
  await page.getByTestId('nav-monatsreihe').click();
  await page.getByTestId('page-monatsreihe').waitFor();
  assert.equal(await hash(), '#/berichte/monatsreihe');
  await page.getByTestId('nav-qualitaet').click();
  await page.getByTestId('page-qualitaet').waitFor();
  assert.equal(await hash(), '#/berichte/qualitaet');

  await page.goBack();
  await page.getByTestId('page-monatsreihe').waitFor();
  assert.equal(await page.getByTestId('nav-monatsreihe').getAttribute('aria-current'), 'page');
  await page.goBack();
  await page.getByTestId('page-load').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 2);
  await page.goForward();
  await page.getByTestId('page-monatsreihe').waitFor();
  await page.goBack();
  await page.goBack();
  await page.getByTestId('page-download').waitFor();
  assert.equal(await hash(), '#/herunterladen');
  await page.getByTestId('download-workbook').waitFor();

  // The skip link focuses the content; it is no address and changes neither URL nor page.
  await page.getByTestId('skip-link').focus();
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'inhalt');
  assert.equal(await hash(), '#/herunterladen');
  await page.getByTestId('page-download').waitFor();

  // An address typed by hand opens its page; an unknown one opens "Daten laden".
  await page.evaluate(() => { location.hash = '#/berichte/raeumlich'; });
  await page.getByTestId('page-raeumlich').waitFor();
  await page.evaluate(() => { location.hash = '#/gibtsnicht'; });
  await page.getByTestId('page-load').waitFor();
  assert.equal(await hash(), '#/laden');
  assert.equal(await page.getByTestId('file-row').count(), 2);

  assertCleanSession(session);
});

test('eine unbekannte Adresse beim Öffnen führt zu „Daten laden“', async (t) => {
  const session = await openApp({ page: '/#/berichte/gibtsnicht' });
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  await page.getByTestId('page-load').waitFor();
  assert.equal(await page.evaluate(() => location.hash), '#/laden');
  assertCleanSession(session);
});

test('die letzte Datei entfernen: nach Rückfrage ist die Seite wieder leer', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  const dialog = page.getByTestId('confirm-dialog');

  await loadSmall(page, [residents]);
  const row = page.getByTestId('file-row');
  assert.equal(await row.count(), 1);

  // "Behalten" keeps the file.
  await row.getByTestId('remove-file').click();
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('confirm-title').textContent(), '„EWO_Bestand_20261031.csv“ entfernen?');
  await page.getByTestId('confirm-keep').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await row.count(), 1);

  await row.getByTestId('remove-file').click();
  await page.getByTestId('confirm-go').click();
  await page.getByTestId('report-empty').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 0);
  assert.equal(await page.getByTestId('reports-ready').count(), 0);
  assert.match(await page.getByTestId('notice').textContent(), /keine Daten mehr geladen/);
  assert.equal(await asksBeforeLeaving(page), false);
  await page.getByTestId('nav-qualitaet').click();
  await page.getByTestId('no-reports').waitFor();

  // The worker is fine: the same file loads again.
  await page.getByTestId('nav-load').click();
  await loadSmall(page, [residents]);
  assert.equal(await page.getByTestId('file-row').count(), 1);

  assertCleanSession(session);
});

test('Exporte, die kein Bericht nutzt, sind markiert und sagen warum; nach dem Entfernen rückt der ältere Bestand nach', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  const older = (name) => ({ ...residents, name });
  await loadSmall(page, [residents, older('EWO_Bestand_20260930.csv'), older('EWO_Bestand_20260831.csv'), gliederung]);
  const row = (name) => page.getByTestId('file-row').filter({ hasText: name });

  // The current and the previous snapshot feed the reports; the oldest one feeds none.
  await page.getByTestId('file-unused').first().waitFor();
  assert.equal(await page.getByTestId('file-unused').count(), 1);
  assert.equal(await row('20260831').getByTestId('file-unused').count(), 1);
  assert.equal(await row('20261031').getByTestId('file-unused').count(), 0);
  assert.equal(await row('20260930').getByTestId('file-unused').count(), 0);
  const reason = await page.getByTestId('file-unused-reason').textContent();
  assert.match(reason, /Stichtag 31\.08\.2026/);
  assert.match(reason, /Bestand vom 31\.10\.2026/);
  assert.match(reason, /gegenüber dem vom 30\.09\.2026/);
  const group = page.getByTestId('file-group').filter({ has: row('20260831') });
  assert.match(await group.getByTestId('file-group-unused').textContent(), /1 von keinem Bericht genutzt/);

  // Without the September snapshot, August is the previous one and every file is used.
  await row('20260930').getByTestId('remove-file').click();
  await page.getByTestId('confirm-go').click();
  await page.getByTestId('notice').getByText('Die Datei wurde aus der Sitzung entfernt').waitFor();
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 60_000 });
  await page.getByTestId('reports-ready').waitFor();
  assert.equal(await row('20260930').count(), 0);
  assert.equal(await page.getByTestId('file-unused').count(), 0);
  assert.equal(await page.getByTestId('file-group-unused').count(), 0);

  assertCleanSession(session);
});

test('Demodaten: eine Datei entfernen ändert Dateiliste und Berichte; Abbrechen mit geladenen Daten fragt erst', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  const dialog = page.getByTestId('confirm-dialog');

  await loadDemo(page);
  const files = await page.getByTestId('file-row').count();
  await page.getByTestId('nav-qualitaet').click();
  const sources = page.getByTestId('sources').locator('li');
  await sources.first().waitFor();
  const before = await sources.allTextContents();

  // An AKDN month: its row goes, its line under "Verwendete Dateien" goes, the rest stays.
  await page.getByTestId('nav-load').click();
  // The AKDN months are many: their group starts closed.
  const group = page.locator('[data-testid="file-group"][data-source="AKDN sozial (AsylbLG)"]');
  await group.getByTestId('file-group-summary').click();
  const akdn = group.getByTestId('file-row').first();
  const name = (await akdn.locator('td').first().innerText()).trim();
  assert.ok(before.some((line) => line.includes(name)), `${name} in ${before.join(' | ')}`);
  await akdn.getByTestId('remove-file').click();
  await dialog.waitFor({ state: 'visible' });
  await page.getByTestId('confirm-go').click();
  await page.getByTestId('notice').getByText('Die Datei wurde aus der Sitzung entfernt').waitFor();
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 180_000 });
  await page.getByTestId('reports-ready').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), files - 1);
  assert.equal(await page.getByTestId('file-row').filter({ hasText: name }).count(), 0);
  await page.getByTestId('nav-qualitaet').click();
  await sources.first().waitFor();
  const after = await sources.allTextContents();
  assert.equal(after.length, before.length - 1);
  assert.ok(!after.some((line) => line.includes(name)), after.join(' | '));

  // Work on top of loaded data (the demo city once more: generating and reading take a
  // while): "Abbrechen" asks first; "Weiterrechnen" lets it finish with every file kept.
  await page.getByTestId('nav-load').click();
  await page.getByTestId('demo-data').click();
  await page.getByTestId('cancel').click();
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('confirm-title').textContent(), 'Verarbeitung abbrechen?');
  assert.match(await page.getByTestId('confirm-text').textContent(), /alle bereits geladenen Dateien und Berichte/);
  await page.getByTestId('confirm-keep').click();
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 180_000 });
  await page.getByTestId('reports-ready').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 2 * files - 1);

  // Left unanswered, the question closes itself once the work is done: nothing to cancel.
  await page.getByTestId('demo-data').click();
  await page.getByTestId('cancel').click();
  await dialog.waitFor({ state: 'visible' });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 180_000 });
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('reports-ready').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 3 * files - 1);

  // Going ahead stops the work and drops the data, as the question said.
  await page.getByTestId('demo-data').click();
  await page.getByTestId('cancel').click();
  await page.getByTestId('confirm-go').click();
  await page.getByTestId('notice').getByText('Die Verarbeitung wurde abgebrochen').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 0);
  assert.equal(await page.getByTestId('progress').count(), 0);
  assert.equal(await asksBeforeLeaving(page), false);

  assertCleanSession(session);
});
