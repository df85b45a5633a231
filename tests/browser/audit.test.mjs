// SPDX-License-Identifier: ISC
// The audit page as a working group reads it, at desktop and phone width:
// failed logins listed with the name tried, every line told in Thai (and
// in English after the switch), filters by user and action that go to the
// server, the CSV download, no horizontal scroll at 390 px, axe clean.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { startServer, openRound } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, loginPage, ready } from './lib/admin.mjs';

const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const WRONG = 'wrong-password-7d1e';

let srv, browser, round;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	round = await openRound(srv, 'ita-2563-iit', { title: 'รอบตรวจบันทึก' });
	for (const username of ['alice', 'mallory'])
		await fetch(`${srv.url}/api/v1/admin/login`, { method: 'POST',
		    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: WRONG }) });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

for (const [name, viewport] of Object.entries(WIDTHS)) {
	test(`the audit page at ${name} width`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport, acceptDownloads: true });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/audit.html`);
			await ready(page);
			const rows = page.locator('#audit-body tr');
			const fails = page.locator('#audit-body tr[data-action="login.fail"]');
			assert.equal(await fails.count(), 2, 'both failed logins');
			const failText = await fails.allTextContents();
			assert.ok(failText.some((s) => s.includes('เข้าสู่ระบบไม่สำเร็จ ด้วยชื่อผู้ใช้ "mallory"')), failText.join('|'));
			assert.ok(!(await page.textContent('main')).includes(WRONG), 'no password on the page');
			const main = await page.textContent('#audit-body');
			assert.match(main, /สร้างรอบ \d+ "รอบตรวจบันทึก"/, 'round named by title, in Thai');
			assert.match(main, /เริ่มเก็บคำตอบรอบ \d+ "รอบตรวจบันทึก"/);

			// Filters go to the server.
			await page.selectOption('#f-action', 'login.fail');
			await page.click('#audit-filters button[type="submit"]');
			await page.waitForFunction(() => [...document.querySelectorAll('#audit-body tr')]
			    .every((tr) => tr.dataset.action === 'login.fail'));
			assert.equal(await rows.count(), 2);
			await page.fill('#f-user', 'mallory');
			await page.click('#audit-filters button[type="submit"]');
			await page.waitForFunction(() => document.querySelectorAll('#audit-body tr').length === 1);
			// The CSV link downloads what the filters show.
			const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv')]);
			const csv = await fs.readFile(await dl.path(), 'utf8');
			const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
			assert.equal(lines[0], 'id,time_utc,user,action,detail_th,detail_en');
			assert.equal(lines.length, 2, csv);
			assert.match(lines[1], /,mallory,login\.fail,/);
			await page.click('#f-clear');
			await page.waitForFunction(() => document.querySelectorAll('#audit-body tr').length > 3);

			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(width <= viewport.width, `no horizontal scroll: ${width} > ${viewport.width}`);
			assert.deepEqual(await axe(page), [], 'axe: no serious or critical violation');
			await screenshot(page, `admin-audit-${name}`);

			// English.
			await page.click('#lang-toggle');
			assert.match(await page.textContent('#audit-body'), /failed sign-in as "mallory"/);
			assert.match(await page.textContent('#audit-body'), /started collecting in round \d+ "รอบตรวจบันทึก"/);
			await page.click('#lang-toggle');
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}
