// SPDX-License-Identifier: ISC
// The measures page (/admin/measures.html) and its printable documents
// (/admin/measures-print.html) at 1280 and 390 px: an admin adds a
// measure through the form (a bad date refused inside it, the field
// marked), opens the form prefilled from ?new=1&target=..&round=.., edits
// a status and sees it move to its state's group with the counts; an
// overdue measure says so in words; delete asks first.  The o42 plan and
// the o43 progress report carry the agency's name, the rows, the Thai
// dates and the summary line.  A viewer sees no change control.  axe with
// no serious or critical violation, no horizontal scroll, no script
// error or CSP violation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, apiLogin, apiCall, loginPage, ready } from './lib/admin.mjs';

const SIZES = {
	desktop: { width: 1280, height: 900 },
	phone: { width: 390, height: 844 },
};
const YEAR = 2569;

let srv;
let browser;
let round;
let alice;

const list = async () => (await apiCall(srv.url, alice, 'GET', `/api/v1/admin/measures?year=${YEAR}`)).json;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
	await srv.cli(['settings', 'set', 'agency', 'สำนักงานทดสอบความโปร่งใส']);
	round = await openRound(srv, 'ita-2563-iit', { title: 'IIT 2569' });
	alice = await apiLogin(srv.url, 'alice');
	for (const m of [
		{ target: 'o42', what: 'ประกาศเจตนารมณ์สุจริต', who: 'สำนักผู้บริหาร', due: '2026-03-31', status: 'done',
		    progress: 'ประกาศแล้ว', evidence: 'https://agency.example/o42.pdf' },
		{ target: '2', what: 'ทบทวนระเบียบการใช้ทรัพย์สิน', who: 'กองคลัง', due: '2026-06-30', status: 'doing' },
	]) {
		const r = await apiCall(srv.url, alice, 'POST', '/api/v1/admin/measures', { fiscal_year: YEAR, ...m });
		assert.equal(r.status, 201, JSON.stringify(r.json));
	}
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	await page.mouse.move(5, (page.viewportSize()?.height ?? 800) - 5);
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

async function noSideScroll(page, name) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(w[0] <= w[1], `${name}: the page is ${w[0]} px wide in a ${w[1]} px window`);
}

const count = (page, s) => page.textContent(`#meas-group-${s} .meas-count`);

for (const [size, viewport] of Object.entries(SIZES)) {
	test(`an admin records, edits and prints measures (${size})`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		const what = `อบรมจริยธรรม (${size})`;
		try {
			await loginPage(page, srv.url, 'alice');
			await Promise.all([page.waitForURL(/\/admin\/measures\.html$/),
			    page.click('#top nav a[href="/admin/measures.html"]')]);
			await ready(page);
			await page.selectOption('#meas-year', String(YEAR));
			await page.waitForSelector('#meas-group-done li[data-measure]');
			const before = await list();
			assert.equal(await count(page, 'doing'), `(${before.counts.doing})`);
			// Overdue in words, not colour alone.
			assert.match(await page.textContent('#meas-group-doing'), /เลยกำหนดแล้ว/);
			await noAxe(page, `list ${size}`);
			await noSideScroll(page, `list ${size}`);

			// Add through the form: a bad date first, refused inside it.
			await page.click('#meas-add');
			await page.waitForSelector('#meas-form[open]');
			await noAxe(page, `form ${size}`);
			await page.selectOption('#mf-target', 'i9');
			await page.fill('#mf-fiscal_year', String(YEAR));
			await page.fill('#mf-what', what);
			await page.fill('#mf-who', 'กองการเจ้าหน้าที่');
			await page.fill('#mf-how', 'ขั้นที่ 1\nขั้นที่ 2');
			await page.fill('#mf-due', '2499-02-03');
			await page.click('#meas-form-ok');
			await page.waitForSelector('#mf-due[aria-invalid="true"]');
			assert.match(await page.textContent('#meas-form-msg'), /กำหนดเสร็จ/);
			await page.fill('#mf-due', '2099-09-30');
			await page.click('#meas-form-ok');
			await page.waitForSelector('#meas-form', { state: 'detached' });
			await page.waitForFunction((w) => document.querySelector('#meas-group-planned')?.textContent.includes(w), what);
			const added = (await list()).measures.find((m) => m.what === what);
			assert.ok(added, 'stored');
			assert.equal(added.target, 'i9');
			assert.equal(added.how, 'ขั้นที่ 1\nขั้นที่ 2');

			// Edit its status: it moves to "doing", the counts follow.
			await page.click(`li[data-measure="${added.id}"] button[data-act="edit"]`);
			await page.waitForSelector('#meas-form[open]');
			await page.selectOption('#mf-status', 'doing');
			await page.fill('#mf-progress', 'จัดแล้ว 1 รุ่น');
			await page.click('#meas-form-ok');
			await page.waitForSelector(`#meas-group-doing li[data-measure="${added.id}"]`);
			assert.equal(await count(page, 'doing'), `(${before.counts.doing + 1})`);
			const edited = (await list()).measures.find((m) => m.id === added.id);
			assert.equal(edited.status, 'doing');
			assert.equal(edited.progress, 'จัดแล้ว 1 รุ่น');
			assert.equal(edited.what, what, 'the rest untouched');
			await screenshot(page, `admin-measures-${size}`, { fullPage: true });

			// Prefilled from the weak-items page's link.
			await page.goto(`${srv.url}/admin/measures.html?year=${YEAR}&new=1&target=i12&round=${round}`);
			await page.waitForSelector('#meas-form[open]');
			assert.equal(await page.inputValue('#mf-target'), 'i12');
			assert.equal(await page.inputValue('#mf-round'), String(round));
			await page.click('#meas-form-cancel');
			await page.waitForSelector('#meas-form', { state: 'detached' });

			// The o42 plan and the o43 report.
			await page.goto(`${srv.url}/admin/measures-print.html?year=${YEAR}&kind=plan`);
			await ready(page);
			assert.equal(await page.textContent('#measp-title'),
			    `มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ${YEAR}`);
			assert.equal(await page.textContent('#measp-agency'), 'สำนักงานทดสอบความโปร่งใส');
			const head = await page.textContent('#measp-head');
			for (const c of ['ลำดับ', 'ประเด็นที่ต้องพัฒนา/ตัวชี้วัด', 'มาตรการ', 'ขั้นตอน/วิธีการดำเนินการ', 'ผู้รับผิดชอบ',
			    'ระยะเวลาดำเนินการ', 'การกำกับติดตาม'])
				assert.ok(head.includes(c), c);
			assert.match(await page.textContent(`#measp-rows tr[data-measure="${added.id}"]`), /30 กันยายน 2642/,
			    'a Thai date of the Buddhist Era');
			assert.match(await page.textContent('#measp-rows'), new RegExp(what.replace(/[()]/g, '.')));
			assert.match(await page.textContent('#measp-sign'), /ผู้อนุมัติ/);
			await noAxe(page, `plan ${size}`);
			await screenshot(page, `admin-measures-plan-${size}`, { fullPage: true });

			await page.goto(`${srv.url}/admin/measures-print.html?year=${YEAR}&kind=progress`);
			await ready(page);
			assert.match(await page.textContent('#measp-title'), /^รายงานผลการดำเนินการตามมาตรการ/);
			const doc = await list();
			const total = doc.measures.length;
			assert.equal((await page.textContent('#measp-summary')).startsWith(
			    `ดำเนินการแล้ว ${doc.counts.done} จาก ${total} มาตรการ`), true);
			assert.equal(await page.locator('#measp-rows tr[data-measure]').count(), total);
			assert.match(await page.textContent('#measp-rows'), /https:\/\/agency\.example\/o42\.pdf/);
			await noAxe(page, `progress ${size}`);
			// Printing: no top bar; A4 landscape.
			await page.emulateMedia({ media: 'print' });
			assert.equal(await page.isVisible('#top'), false);
			await page.emulateMedia({ media: 'screen' });

			// Delete asks first; cancel keeps it.
			await page.goto(`${srv.url}/admin/measures.html?year=${YEAR}`);
			await ready(page);
			await page.click(`li[data-measure="${added.id}"] button[data-act="delete"]`);
			await page.click('#meas-delete-cancel');
			assert.ok((await list()).measures.some((m) => m.id === added.id));
			await page.click(`li[data-measure="${added.id}"] button[data-act="delete"]`);
			await page.click('#meas-delete-ok');
			await page.waitForSelector(`li[data-measure="${added.id}"]`, { state: 'detached' });
			assert.ok(!(await list()).measures.some((m) => m.id === added.id));
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}

test('a viewer reads the measures and the documents with no change control', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: SIZES.phone });
	try {
		await loginPage(page, srv.url, 'victor');
		await page.goto(`${srv.url}/admin/measures.html?year=${YEAR}&new=1&target=i9`);
		await ready(page);
		await page.waitForSelector('#meas-group-done li[data-measure]');
		assert.equal(await page.isVisible('#meas-add'), false);
		assert.equal(await page.locator('button[data-act]').count(), 0);
		assert.equal(await page.locator('#meas-form').count(), 0, 'no form for a viewer');
		await noAxe(page, 'list viewer');
		await noSideScroll(page, 'list viewer');
		await page.goto(`${srv.url}/admin/measures-print.html?year=${YEAR}&kind=progress`);
		await ready(page);
		assert.equal(await page.textContent('#measp-agency'), 'สำนักงานทดสอบความโปร่งใส');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
