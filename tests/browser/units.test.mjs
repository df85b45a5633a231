// SPDX-License-Identifier: ISC
// Units in the console: codes issued for a unit from the round page, the
// scores by unit with small units hidden (by name only, never a figure),
// at 1280 and 390 px, axe-clean.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound } from './lib/server.mjs';
import { launch, newPage, screenshot, axe, VIEWPORTS } from './lib/browser.mjs';
import { addAdmin, loginPage, ready, submitAnswers } from './lib/admin.mjs';

let srv, browser, iit;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT รายหน่วยงาน' });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

const last = (q) => q.options[q.options.length - 1];

test('codes for a unit, and scores by unit with the small units hidden', { timeout: 120000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
	try {
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/round.html?id=${iit}`);
		await ready(page);
		assert.match(await page.textContent('#units-body'), /ยังไม่มีหน่วยงาน/);
		// Issue 7 codes for กองช่าง from the page; the others from the shell.
		await page.fill('#issue-count', '7');
		await page.fill('#issue-unit', 'กองช่าง');
		await page.click('#issue-btn');
		await page.waitForSelector('#once-title');
		// The page's codes are for slips; these respondents use the shell's.
		await page.waitForSelector('#units-table tr[data-unit="กองช่าง"]');
		const cli = async (unit, n) => (await srv.cli(['tokens', 'issue', '--round', iit, '--count', String(n),
		    '--unit', unit])).split('\n').map((s) => s.trim()).filter(Boolean);
		const issued = { 'กองคลัง': await cli('กองคลัง', 3), 'กองช่าง': await cli('กองช่าง', 7),
		    'สำนักปลัด': await cli('สำนักปลัด', 8) };
		for (const unit of Object.keys(issued)) {
			const st = await submitAnswers(srv.url, iit, { codes: issued[unit] }, last);
			assert.ok(st.every((s) => s === 201), `${unit}: ${st}`);
		}
		await page.reload();
		await ready(page);
		await page.waitForSelector('#units-table tr[data-unit="สำนักปลัด"]');
		const rows = await page.$$eval('#units-table tbody tr', (trs) => trs.map((tr) => ({
			unit: tr.dataset.unit, text: tr.textContent })));
		const by = Object.fromEntries(rows.map((r) => [r.unit, r.text]));
		assert.match(by['กองคลัง'], /ไม่แสดง/);
		assert.doesNotMatch(by['กองคลัง'], /\d/, 'no figure for a hidden unit');
		assert.match(by['กองช่าง'], /ไม่แสดง/, 'hidden with the smaller unit');
		assert.match(by['สำนักปลัด'], /^สำนักปลัด5\d+\.\d\d[A-F]+$/);
		assert.deepEqual(await axe(page), []);
		await screenshot(page, 'units-desktop');
		assert.equal(await page.getAttribute('#export-units-xlsx', 'href'),
		    `/api/v1/admin/rounds/${iit}/export?what=units&format=xlsx`);
		// Suggestions for the next batch come from the units known.
		const names = await page.$$eval('#unit-names option', (os) => os.map((o) => o.value));
		assert.deepEqual(names.sort(), ['กองคลัง', 'กองช่าง', 'สำนักปลัด'].sort());
	} finally {
		await context.close();
	}
	// Last year's round, with units large enough, compared on the phone.
	const prev = await openRound(srv, 'ita-2563-iit', { title: 'IIT 2568' });
	for (const [unit, n] of [['กองคลัง', 5], ['สำนักปลัด', 5]]) {
		const codes = (await srv.cli(['tokens', 'issue', '--round', prev, '--count', String(n), '--unit',
		    unit])).split('\n').map((s) => s.trim()).filter(Boolean);
		await submitAnswers(srv.url, prev, { codes }, last);
	}
	const { context: c2, page: p2 } = await newPage(browser, { viewport: VIEWPORTS.phone });
	try {
		await loginPage(p2, srv.url, 'alice');
		await p2.goto(`${srv.url}/admin/analysis.html?round=${iit}&with=${prev}`);
		await ready(p2);
		await p2.waitForSelector('#cmp-units-table tr[data-unit="กองคลัง"]');
		const cells = await p2.$$eval('#cmp-units-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) =>
		    [tr.dataset.unit, tr.textContent])));
		assert.match(cells['กองคลัง'], /^กองคลังไม่แสดง5\d+\.\d\d–$/, 'hidden this year, shown last year');
		assert.deepEqual(await axe(p2), []);
		await p2.goto(`${srv.url}/admin/round.html?id=${iit}#units`);
		await ready(p2);
		await p2.waitForSelector('#units-table');
		const overflow = await p2.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
		assert.equal(overflow, false, 'no sideways scrolling at 390 px');
		assert.deepEqual(await axe(p2), []);
		await screenshot(p2, 'units-phone');
	} finally {
		await c2.close();
	}
});
