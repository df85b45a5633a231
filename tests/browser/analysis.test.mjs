// SPDX-License-Identifier: ISC
// /admin/analysis.html at 390 and 1280 px: two IIT rounds compared (the
// other round chosen by default, the figures, significance said in words,
// items opened under their indicator, the chart), the weak items weakest
// first with their answers and guidance, an admin rewording the guidance
// and restoring it, the export links; a viewer sees no edit control.
// axe with no serious or critical violation, no horizontal scroll, no
// script error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, openRound, issueTokens, ROOT } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, apiLogin, apiCall, loginPage, ready, submitAnswers } from './lib/admin.mjs';

const FORM = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', 'ita-2563-iit.json'), 'utf8'));
const REVERSE = new Set(FORM.indicators.flatMap((i) => i.items.flatMap((it) =>
    it.questions.filter((q) => q.reverse).map((q) => q.code))));
const GUIDANCE = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', 'ita-guidance.json'), 'utf8'));

let srv, browser, roundA, roundB;

// Every answer the 100-point one, except those of vary (see compare.test.mjs
// in tests/http for the figures these give).
const pick = (vary) => (q, i) => {
	if (vary[q.code])
		return vary[q.code][i];
	if (q.options.includes('yes'))
		return REVERSE.has(q.code) ? 'no' : 'yes';
	return REVERSE.has(q.code) ? '1' : '4';
};

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
	roundB = await openRound(srv, 'ita-2563-iit', { title: 'IIT ปีก่อน' });
	roundA = await openRound(srv, 'ita-2563-iit', { title: 'IIT ปีนี้' });
	await submitAnswers(srv.url, roundB, { codes: await issueTokens(srv, roundB, 5) },
	    pick({ i1b: ['2', '2', '2', '2', '2'] }));
	await submitAnswers(srv.url, roundA, { codes: await issueTokens(srv, roundA, 5) },
	    pick({ i1a: ['4', '4', '4', '4', '3'], i1b: ['2', '2', '2', '2', '2'], i2: ['1', '1', '1', '1', '2'] }));
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// A row's cells as text, joined with " | ".
const cells = (page, code) => page.$$eval(`#cmp-rows tr[data-code="${code}"] > *`,
    (cs) => cs.map((c) => c.textContent.replace(/\s+/g, ' ').trim()).join(' | '));

async function checks(page, name) {
	await page.mouse.move(5, (page.viewportSize()?.height ?? 800) - 5);
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(w[0] <= w[1], `${name}: the page is ${w[0]} px wide in a ${w[1]} px window`);
	assert.deepEqual(page.problems, [], `${name}: script errors`);
}

for (const [size, viewport] of Object.entries({ phone: { width: 390, height: 844 },
    desktop: { width: 1280, height: 900 } })) {
	test(`compare, weak items, guidance (${size})`, { timeout: 60000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			await Promise.all([page.waitForURL(/\/admin\/analysis\.html$/),
			    page.click('#top nav a[href="/admin/analysis.html"]')]);
			await ready(page);
			assert.equal(await page.inputValue('#cmp-a'), roundA);
			assert.equal(await page.inputValue('#cmp-b'), roundB, 'the other round of the IIT by default');
			const row = await cells(page, '1');
			assert.match(row, /^1 \| การปฏิบัติหน้าที่ ดูรายข้อ .*\| 78\.33 \| 94\.45 \| -16\.12 \| ★ มีนัยสำคัญ \| /);
			assert.match(row, /ก 75\.90–80\.76 · ข 94\.45–94\.45 · เปลี่ยนแปลง -18\.55 … -13\.69$/);
			assert.match(await page.textContent('#cmp-overall'), /ก 95\.67 · ข 98\.89 · เปลี่ยนแปลง -3\.22/);
			assert.equal(await page.isVisible('#cmp-svg'), true);
			assert.equal(await page.locator('#cmp-svg rect.bar-ok').count(), 5);

			// An indicator opens to its items.
			assert.equal(await page.locator('#cmp-rows tr[data-code="i1"]').count(), 0);
			await page.click('#cmp-rows tr[data-code="1"] button[data-act="toggle"]');
			assert.match(await cells(page, 'i1'), /\| 63\.33 \| 66\.67 \| -3\.34 \| อยู่ในช่วงความคลาดเคลื่อน \|/);
			assert.equal(await page.getAttribute('#cmp-rows tr[data-code="1"] button', 'aria-expanded'), 'true');

			// Weak items, weakest first, with answers and guidance.
			const items = await page.$$eval('#cmp-weak-list article', (as) => as.map((a) => a.dataset.item));
			assert.deepEqual(items, ['i2', 'i1']);
			const i2 = page.locator('article[data-item="i2"]');
			assert.match(await i2.textContent(), /คะแนน 6\.67/);
			assert.match(await i2.textContent(), /-93\.33/);
			assert.equal(await i2.locator('svg.dist').count(), 1);
			assert.equal((await i2.locator('.cmp-gtext').textContent()).trim(), GUIDANCE.indicators['1'].th);
			assert.equal(await i2.locator('a[data-act="measure"]').getAttribute('href'),
			    `measures.html?new=1&target=i2&round=${roundA}`);
			assert.equal(await page.getAttribute('#cmp-export-xlsx', 'href'),
			    `/api/v1/admin/rounds/${roundA}/export?what=compare&with=${roundB}&format=xlsx`);
			await checks(page, `analysis ${size}`);
			await screenshot(page, `admin-analysis-${size}`);

			// The guidance reworded, then restored.
			const own = `แนวทางของเรา (${size})`;
			await i2.locator('button[data-act="edit-guidance"]').click();
			await page.fill('#g-1-th', own);
			await page.fill('#g-1-en', `Our own (${size})`);
			await checks(page, `guidance form ${size}`);
			await page.click('form[data-form="1"] button[type="submit"]');
			await page.waitForFunction((o) => document.querySelector('article[data-item="i2"] .cmp-gtext')
			    ?.textContent === o, own);
			// Both weak items of indicator 1 show it.
			assert.equal(await page.textContent('article[data-item="i1"] .cmp-gtext'), own);
			const s = await apiLogin(srv.url, 'victor');
			let g = (await apiCall(srv.url, s, 'GET', '/api/v1/admin/guidance')).json.indicators[0].guidance;
			assert.deepEqual([g.th, g.edited], [own, true]);
			await i2.locator('button[data-act="restore-guidance"]').click();
			await page.click('#confirm-ok');
			await page.waitForFunction((o) => document.querySelector('article[data-item="i2"] .cmp-gtext')
			    ?.textContent === o, GUIDANCE.indicators['1'].th);
			g = (await apiCall(srv.url, s, 'GET', '/api/v1/admin/guidance')).json.indicators[0].guidance;
			assert.equal(g.edited, false);

			// English.
			await page.click('#lang-toggle');
			assert.match(await page.textContent('#cmp-rows tr[data-code="1"]'), /significant/);
			assert.equal((await i2.locator('.cmp-gtext').textContent()).trim(), GUIDANCE.indicators['1'].en);
			await checks(page, `analysis en ${size}`);
			await page.click('#lang-toggle');
		} finally {
			await context.close();
		}
	});
}

test('a viewer reads the comparison without edit controls', { timeout: 30000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
	try {
		await loginPage(page, srv.url, 'victor');
		await page.goto(`${srv.url}/admin/analysis.html?round=${roundA}&with=${roundB}`);
		await ready(page);
		await page.waitForSelector('article[data-item="i2"]');
		assert.equal(await page.locator('button[data-act="edit-guidance"]').count(), 0);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
