// SPDX-License-Identifier: ISC
// The OIT evidence desk's pages (/admin/oit.html, /admin/oit-item.html)
// at 1280 and 390 px: the checklist found in the top bar, each seeded
// state shown by its word (and icon and colour), the counts and the open
// alerts on top; an admin marks an item ready, adds a URL through the
// dialog (a bad one refused inside it), removes it after a confirmation
// (cancel keeps it), names who is responsible; the history page with the
// check log, the days and the alerts.  A viewer sees no change control.
// axe with no serious or critical violation, no horizontal scroll, no
// script error or CSP violation.
//
// The watcher's rows are written with sqlite3, checked "now", with a watch
// interval of a day, so that a watcher in the server leaves them alone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, apiLogin, apiCall, loginPage, ready } from './lib/admin.mjs';

const SIZES = {
	desktop: { width: 1280, height: 900 },
	phone: { width: 390, height: 844 },
};
// Per size, the item whose readiness is toggled and the one given a URL.
const PLAN = { desktop: { toggle: 'o4', add: 'o2' }, phone: { toggle: 'o8', add: 'o9' } };
const NOW = Math.floor(Date.now() / 1000);

let srv;
let browser;

function sqlite(db, query) {
	return new Promise((resolve, reject) => {
		execFile('sqlite3', ['-cmd', '.timeout 10000', db, query], (err, stdout, stderr) =>
		    (err ? reject(new Error(`sqlite3: ${err.message}\n${stderr}`)) : resolve(stdout.trim())));
	});
}

function today() {
	const d = new Date();
	const p = (v) => String(v).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A URL row as the watcher leaves it; resolves its id.
async function seed(db, item, state, { status = 200, certDays = 60 } = {}) {
	return Number(await sqlite(db, `INSERT INTO oit_urls (checklist, item, url, added_at, added_by, state, since,
	    fails, checked_at, status, final_url, on_site, ttfb_ms, size, ctype, sha256, cert_days, error) VALUES
	    ('oit-2563', '${item}', 'https://agency.example/${item}.html', ${NOW - 86400}, 'seed', '${state}', ${NOW - 600},
	    0, ${NOW}, ${status}, 'https://agency.example/${item}.html', 1, 80, 5000, 'text/html', '${'cd'.repeat(32)}',
	    ${certDays}, ${state === 'up' ? 'NULL' : "'http_status'"}) RETURNING id`));
}

const serverDoc = async () => {
	const s = await apiLogin(srv.url, 'victor');
	return (await apiCall(srv.url, s, 'GET', '/api/v1/admin/oit')).json;
};
const serverItem = async (code) => (await serverDoc()).items.find((i) => i.code === code);

before(async () => {
	srv = await startServer({ serve: ['--oit-allow-private'] });
	browser = await launch();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
	await srv.cli(['settings', 'set', 'oit.interval', '86400']);
	const db = path.join(srv.dir, 'db');
	const o3 = await seed(db, 'o3', 'up', { certDays: 12 });
	await seed(db, 'o4', 'up');
	const o5 = await seed(db, 'o5', 'down', { status: 503 });
	await seed(db, 'o6', 'suspect');
	await seed(db, 'o7', 'unknown');
	for (const it of ['o3', 'o5', 'o6', 'o7'])
		await srv.cli(['oit', 'ready', '--item', it, '--yes']);
	await sqlite(db, `INSERT INTO oit_daily (url_id, day, checks, up, suspect, down, ttfb_ms_sum, ttfb_ms_max)
	    VALUES (${o3}, '${today()}', 4, 4, 0, 0, 320, 90), (${o5}, '${today()}', 4, 1, 0, 3, 100, 50);
	    INSERT INTO oit_changes (url_id, at, state, status, final_url, on_site, ttfb_ms, size, ctype, sha256,
	    cert_days, error) VALUES (${o5}, ${NOW - 7200}, 'up', 200, 'https://agency.example/o5.html', 1, 40, 5000,
	    'text/html', 'aa', 60, NULL), (${o5}, ${NOW - 1800}, 'down', 503, 'https://agency.example/o5.html', 1, 30,
	    0, NULL, NULL, 60, 'http_status');
	    INSERT INTO oit_alerts (url_id, kind, opened_at, detail) VALUES (${o5}, 'down', ${NOW - 1200},
	    '{"status": 503}');
	    INSERT INTO oit_copies (url_id, fetched_at, final_url, ctype, size, sha256, body) VALUES (${o3},
	    ${NOW - 600}, 'https://agency.example/o3.html', 'text/html', 5, 'ee', X'3c703e6f6b');`);
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	// The pointer off the top bar: axe judges the page at rest.
	await page.mouse.move(5, (page.viewportSize()?.height ?? 800) - 5);
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

async function noSideScroll(page, name) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(w[0] <= w[1], `${name}: the page is ${w[0]} px wide in a ${w[1]} px window`);
}

const stateOf = (page, code) => page.getAttribute(`#item-${code}`, 'data-state');
const stateText = (page, code) => page.textContent(`#item-${code} .oit-item-state`);

for (const [size, viewport] of Object.entries(SIZES)) {
	test(`an admin works the checklist and reads an item's history (${size})`, { timeout: 120000 }, async () => {
		const { toggle, add } = PLAN[size];
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			await Promise.all([page.waitForURL(/\/admin\/oit\.html$/),
			    page.click('#top nav a[href="/admin/oit.html"]')]);
			await ready(page);
			assert.equal(await page.getAttribute('#top nav a[href="/admin/oit.html"]', 'aria-current'), 'page');

			// The seeded states, each by its own word.
			const words = { o3: ['up', 'เปิดได้'], o5: ['down', 'เปิดไม่ได้'], o6: ['suspect', 'น่าสงสัย'],
			    o7: ['unknown', 'ยังไม่ได้ตรวจ'], o1: ['no_url', 'ยังไม่มี URL'] };
			if (size === 'desktop')
				words.o4 = ['not_ready', 'เนื้อหายังไม่พร้อม'];
			for (const [code, [state, word]] of Object.entries(words)) {
				assert.equal(await stateOf(page, code), state, code);
				assert.equal((await stateText(page, code)).trim(), word, code);
			}
			assert.equal(await page.textContent('#count-down .oit-count'), '1');
			assert.equal(await page.textContent('#count-suspect .oit-count'), '1');
			assert.match(await page.textContent('#oit-alert-list'), /เปิดไม่ได้.*ข้อ o5/s);
			assert.equal(await page.getAttribute('#item-o3 a[data-act="copy"]', 'href'),
			    `/api/v1/admin/oit/urls/${(await serverItem('o3')).urls[0].id}/copy`);
			assert.match(await page.textContent('#item-o3'), /ใบรับรองเหลือ 12 วัน/);
			assert.match(await page.textContent('#item-o3'), /100\.00 %/);
			await noAxe(page, `checklist ${size}`);
			await noSideScroll(page, `checklist ${size}`);
			await screenshot(page, `admin-oit-${size}`);

			// Only what needs attention.
			await page.selectOption('#oit-filter', 'attention');
			assert.equal(await page.isVisible('#item-o3'), false, 'o3 is up');
			assert.equal(await page.isVisible('#item-o5'), true);
			await page.selectOption('#oit-filter', 'all');

			// Content ready: toggled on the page, saved on the server.
			const wasReady = (await serverItem(toggle)).ready;
			await page.click(`#ready-${toggle}`);
			await page.waitForFunction(() => /^บันทึกแล้ว/.test(document.getElementById('oit-msg').textContent));
			assert.equal((await serverItem(toggle)).ready, !wasReady);
			assert.equal(await page.isChecked(`#ready-${toggle}`), !wasReady);
			if (toggle === 'o4')
				assert.equal(await stateOf(page, 'o4'), 'up', 'ready and up');
			assert.equal(await page.evaluate(() => document.activeElement.id), `ready-${toggle}`, 'focus kept');

			// A URL through the dialog: a bad one is refused inside it.
			await page.click(`#add-${add}`);
			await page.waitForSelector('#oit-add[open]');
			await noAxe(page, `add dialog ${size}`);
			await page.fill('#oit-add-url', 'ftp://agency.example/x.pdf');
			await page.click('#oit-add-ok');
			await page.waitForSelector('#oit-add-url[aria-invalid="true"]');
			assert.match(await page.textContent('#oit-add-msg'), /http/);
			const url = `http://127.0.0.1:9/${add}/evidence.pdf`;
			await page.fill('#oit-add-url', url);
			await page.click('#oit-add-ok');
			await page.waitForSelector('#oit-add', { state: 'detached' });
			await page.waitForSelector(`#item-${add} a.oit-url[href="${url}"]`);
			assert.match(await page.textContent('#oit-msg'), new RegExp(`ข้อ ${add}`));
			assert.deepEqual((await serverItem(add)).urls.map((u) => u.url), [url]);
			assert.ok(['unknown', 'down'].includes(await stateOf(page, add)), 'watched from now on');

			// Removing it asks first; cancel keeps it.
			await page.click(`#item-${add} button[data-act="remove"]`);
			await page.waitForSelector('#oit-remove[open]');
			await page.click('#oit-remove-cancel');
			assert.equal((await serverItem(add)).urls.length, 1);
			await page.click(`#item-${add} button[data-act="remove"]`);
			await page.click('#oit-remove-ok');
			await page.waitForFunction((c) => !document.querySelector(`#item-${c} a.oit-url`), add);
			assert.deepEqual((await serverItem(add)).urls, []);
			assert.equal(await stateOf(page, add), 'no_url');

			// Who is responsible, and a note.
			const owner = `งานเว็บไซต์ (${size})`;
			await page.click('#edit-o6');
			await page.fill('#oit-edit-owner', owner);
			await page.fill('#oit-edit-note', 'หน้าเล็กลงหลังย้ายเครื่อง');
			await page.click('#oit-edit-ok');
			await page.waitForSelector('#oit-edit', { state: 'detached' });
			// The row is drawn again once the server answered.
			await page.waitForFunction((o) => document.querySelector('#item-o6')?.textContent.includes(o), owner);
			assert.equal((await serverItem('o6')).owner, owner);

			// English: the same states in English words.
			await page.click('#lang-toggle');
			assert.equal((await stateText(page, 'o5')).trim(), 'Down');
			assert.equal((await stateText(page, 'o1')).trim(), 'No URL');
			await noAxe(page, `checklist en ${size}`);
			await page.click('#lang-toggle');

			// The history of o5.
			await Promise.all([page.waitForURL(/oit-item\.html\?item=o5$/),
			    page.click('#item-o5 a[data-act="history"]')]);
			await ready(page);
			assert.match(await page.textContent('#oititem-title'), /^o5/);
			assert.equal((await page.textContent('#oititem-state')).trim(), 'เปิดไม่ได้');
			assert.equal(await page.locator('table.oit-log tbody tr').count(), 2);
			assert.equal(await page.getAttribute('table.oit-log tbody tr:first-child', 'data-state'), 'down');
			assert.match(await page.textContent('table.oit-daily tbody'), /25\.00 %/);
			assert.match(await page.textContent('#oititem-alerts'), /เปิดไม่ได้/);
			await noAxe(page, `history ${size}`);
			await noSideScroll(page, `history ${size}`);
			await screenshot(page, `admin-oit-item-${size}`, { fullPage: true });
			await page.selectOption('#oititem-days', '7');
			await page.waitForURL(/days=7/);
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}

test('a viewer reads the checklist and a history with no change control', { timeout: 120000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: SIZES.phone });
	try {
		await loginPage(page, srv.url, 'victor');
		await page.goto(`${srv.url}/admin/oit.html`);
		await ready(page);
		assert.equal(await stateOf(page, 'o5'), 'down');
		for (const sel of ['button[data-act]', 'input[data-act="ready"]'])
			assert.equal(await page.locator(sel).count(), 0, sel);
		assert.equal(await page.getAttribute('#item-o3 [data-ready]', 'data-ready'), 'true');
		assert.equal(await page.locator('#item-o3 a[data-act="copy"]').count(), 1, 'viewers may download');
		await noAxe(page, 'checklist viewer');
		await noSideScroll(page, 'checklist viewer');
		await page.goto(`${srv.url}/admin/oit-item.html?item=o3`);
		await ready(page);
		assert.equal((await page.textContent('#oititem-state')).trim(), 'เปิดได้');
		await noAxe(page, 'history viewer');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
