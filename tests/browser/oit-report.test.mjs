// SPDX-License-Identifier: ISC
// The OIT evidence desk in the console, at 1280 and 390 px: the printable
// availability report (/admin/oit-report.html: the last 30 days by
// default, agency and main website in its head, uptime per URL,
// incidents, the check log, the CSV and XLSX downloads; printed without
// the top bar or the form), the desk's settings on the settings page
// (minutes and megabytes shown, seconds and bytes stored; a refused
// value marks its field), and the estimate on the ITA overview.  axe
// with no serious or critical violation, no sideways scroll, no script
// error.  What the watcher would have recorded is seeded with sqlite3.

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

let srv;
let browser;

// Local days counted back from today, as "YYYY-MM-DD" and unix seconds.
const dayAgo = (n, hh = 0, mm = 0) => {
	const now = new Date();
	return new Date(now.getFullYear(), now.getMonth(), now.getDate() - n, hh, mm);
};
const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const unix = (d) => Math.floor(d.getTime() / 1000);

const LONG = `https://www.example.go.th/${'documents/'.repeat(12)}annual-report-2567.pdf`;

function sqlite(db, q) {
	return new Promise((resolve, reject) => execFile('sqlite3', ['-cmd', '.timeout 10000', db, q], (err, out, se) =>
	    (err ? reject(new Error(`${err.message}\n${se}`)) : resolve(out))));
}

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
	await srv.cli(['settings', 'set', 'agency', 'กรมตัวอย่าง']);
	await srv.cli(['settings', 'set', 'oit.host', 'www.example.go.th']);
	// Checked just now, on a daily schedule: the watcher leaves them be.
	await srv.cli(['settings', 'set', 'oit.interval', '86400']);
	const t0 = unix(dayAgo(40));
	const now = Math.floor(Date.now() / 1000);
	await sqlite(path.join(srv.dir, 'db'), [
	    `INSERT INTO oit_urls (id, checklist, item, url, added_at, added_by, state, checked_at) VALUES
		(1, 'oit-2563', 'o1', 'https://www.example.go.th/structure', ${t0}, 'alice', 'up', ${now}),
		(2, 'oit-2563', 'o12', '${LONG}', ${t0}, 'alice', 'down', ${now})`,
	    `INSERT INTO oit_items (checklist, item, ready, updated_at) VALUES ('oit-2563', 'o1', 1, ${t0})`,
	    `INSERT INTO oit_daily VALUES (1, '${iso(dayAgo(1))}', 96, 96, 0, 0, 9600, 150),
		(1, '${iso(dayAgo(0))}', 40, 40, 0, 0, 4000, 150),
		(2, '${iso(dayAgo(1))}', 96, 90, 0, 6, 9000, 300),
		(2, '${iso(dayAgo(0))}', 40, 0, 0, 40, 0, 0)`,
	    `INSERT INTO oit_alerts (url_id, kind, opened_at, closed_at, detail) VALUES
		(2, 'down', ${unix(dayAgo(1, 22, 0))}, ${unix(dayAgo(1, 23, 30))}, '{}')`,
	    `INSERT INTO oit_changes (url_id, at, state, status, final_url, on_site, ttfb_ms, size, error) VALUES
		(2, ${unix(dayAgo(1, 22, 0))}, 'down', 503, '${LONG}', 1, 80, 100, 'http_status'),
		(2, ${unix(dayAgo(1, 23, 30))}, 'up', 200, '${LONG}', 1, 90, 5000, NULL)`,
	].join('; '));
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

async function noSideScroll(page, name) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(w[0] <= w[1], `${name}: the page is ${w[0]} px wide in a ${w[1]} px window`);
}

for (const [size, viewport] of Object.entries(SIZES)) {
	test(`the availability report of the last 30 days (${size})`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'victor');
			// Found from the ITA overview.
			await page.goto(`${srv.url}/admin/ita.html`);
			await ready(page);
			await Promise.all([page.waitForURL(/\/admin\/oit-report\.html/), page.click('#ita-oit-report')]);
			await ready(page);
			assert.equal(await page.inputValue('#oitrep-from'), iso(dayAgo(29)));
			assert.equal(await page.inputValue('#oitrep-to'), iso(dayAgo(0)));
			assert.equal(await page.textContent('#oitrep-title'), 'กรมตัวอย่าง');
			assert.match(await page.textContent('#oitrep-meta'), /www\.example\.go\.th/);
			// (96 + 40 + 90) up of 272 checks.
			assert.equal(await page.textContent('#oitrep-uptime'), '83.09 %');
			assert.equal(await page.locator('#oitrep-url-table tbody tr').count(), 2);
			assert.equal(await page.locator('#oitrep-url-table .up-bad').count(), 1, 'the URL that went down is red');
			assert.equal(await page.locator('#oitrep-inc-table tbody tr').count(), 1);
			assert.equal(await page.locator('#oitrep-log-table tbody tr').count(), 2);
			const csv = await page.evaluate(async () => {
				const r = await fetch(document.getElementById('oitrep-csv-log').href);
				const b = new Uint8Array(await r.arrayBuffer());
				return [r.status, r.headers.get('content-disposition'), [...b.slice(0, 3)],
				    new TextDecoder().decode(b).split('\r\n')[0]];
			});
			assert.equal(csv[0], 200);
			assert.match(csv[1], /oit-log-/);
			assert.deepEqual(csv[2], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
			assert.match(csv[3], /^time_utc,item,url,/);
			assert.match(await page.getAttribute('#oitrep-xlsx', 'href'), /format=xlsx/);
			await noAxe(page, `report ${size}`);
			await noSideScroll(page, `report ${size}`);
			await screenshot(page, `oit-report-${size}`, { fullPage: true });

			// Paper: the report without the top bar, the form or the buttons.
			await page.emulateMedia({ media: 'print' });
			assert.equal(await page.isVisible('#top nav'), false, 'no navigation on paper');
			assert.equal(await page.isVisible('#oitrep-form'), false);
			assert.equal(await page.isVisible('#oitrep-url-table'), true);
			await page.emulateMedia({ media: 'screen' });

			// Another range: the address keeps it; no checks then.
			await page.fill('#oitrep-from', iso(dayAgo(20)));
			await page.fill('#oitrep-to', iso(dayAgo(10)));
			await page.click('#oitrep-go');
			await page.waitForFunction(() => /nochecks|ยังไม่ได้ตรวจ/.test(document.getElementById('oitrep-uptime').textContent));
			assert.match(page.url(), new RegExp(`from=${iso(dayAgo(20))}&to=${iso(dayAgo(10))}`));
			await page.fill('#oitrep-from', iso(dayAgo(5)));
			await page.click('#oitrep-go');
			await page.waitForSelector('#oitrep-to[aria-invalid="true"]');
			assert.match(await page.textContent('#oitrep-msg'), /3,660|3660/);
			await noAxe(page, `report refused ${size}`);
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});

	test(`the OIT settings (${size})`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		const server = async () => (await apiCall(srv.url, await apiLogin(srv.url, 'victor'), 'GET',
		    '/api/v1/admin/settings')).json.settings;
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/settings.html`);
			await ready(page);
			assert.equal(await page.inputValue('#s-oit-host'), 'www.example.go.th');
			assert.equal(await page.getAttribute('#oitset-report', 'href'), '/admin/oit-report.html');
			const minutes = size === 'phone' ? 12 : 10;
			await page.fill('#s-oit-interval', String(minutes));
			await page.fill('#s-oit-copy-max', '5');
			await page.fill('#s-oit-strict-from', '2027-01-10');
			await page.fill('#s-oit-strict-to', '2027-01-20');
			await page.fill('#s-oit-mail-to', 'ita@example.go.th, it@example.go.th');
			await page.click('#oitset-save');
			await page.waitForFunction(() => document.getElementById('oitset-msg').textContent === 'บันทึกแล้ว');
			const s = await server();
			assert.deepEqual([s['oit.interval'], s['oit.copy_max'], s['oit.strict_from'], s['oit.strict_to'],
			    s['oit.mail_to']], [String(minutes * 60), '5242880', '2027-01-10', '2027-01-20', 'ita@example.go.th, it@example.go.th']);
			assert.equal(s.agency, 'กรมตัวอย่าง', 'the agency untouched');
			await page.reload();
			await ready(page);
			assert.equal(await page.inputValue('#s-oit-interval'), String(minutes), 'seconds shown as minutes');

			// The server refuses 999 days; the page names the field.
			await page.fill('#s-oit-cert-days', '999');
			await page.click('#oitset-save');
			await page.waitForSelector('#s-oit-cert-days[aria-invalid="true"]');
			assert.match(await page.textContent('#oitset-msg'), /ใบรับรอง/);
			assert.equal((await server())['oit.cert_days'], '');
			await noAxe(page, `settings oit ${size}`);
			await noSideScroll(page, `settings oit ${size}`);
			await screenshot(page, `oit-settings-${size}`, { fullPage: true });
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}

test('the ITA overview offers the estimate, and a typed-in score only when asked', async () => {
	const { context, page } = await newPage(browser, { viewport: SIZES.phone });
	try {
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/ita.html`);
		await ready(page);
		// o1 is ready and up: 1 of 33 items of indicator 9, none of 10.
		assert.equal(await page.textContent('#ita-est-score'), '1.52');
		assert.equal(await page.isVisible('#ita-oit'), false);
		await page.check('#ita-oit-on');
		assert.equal(await page.isVisible('#ita-oit'), true);
		await noAxe(page, 'ita estimate phone');
		await noSideScroll(page, 'ita estimate phone');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
