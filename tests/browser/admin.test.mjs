// SPDX-License-Identifier: ISC
// The admin console, end to end, as a working group member uses it: log
// in, create and open an IIT round, issue codes (CSV and A4 slips with
// QR codes), collect answers, read the scores against the target, print
// the report, close the round, download the XLSX and check its sheets,
// read the audit log, and combine IIT, EIT and OIT in the ITA overview.
// Every page: a screenshot under tests/out/screenshots/ and axe-core with
// no serious or critical violation; no CSP violation or script error.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startServer, openRound, addKiosk } from './lib/server.mjs';
import { launch, newPage, screenshot, axe, watch, SHOTS } from './lib/browser.mjs';
import { addAdmin, loginPage, ready, submitAnswers, unzip, sheetCells, decodeQr } from './lib/admin.mjs';

const DESKTOP = { width: 1280, height: 900 };
const CODES = 6;
const ANSWERED = 5;

let srv;
let browser;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// An answer pattern with a spread: mostly "4" (or "no"), some "3".
const pick = (q, i) => {
	if (q.options.includes('4'))
		return (i + q.code.length) % 4 === 0 ? '3' : '4';
	return q.options.includes('no') ? 'no' : q.options[0];
};

async function noAxe(page, name) {
	const v = await axe(page);
	assert.deepEqual(v, [], `${name}: axe found serious or critical violations`);
}

function scoreText(v) {
	return v.toFixed(2);
}

test('an admin runs an IIT round from the browser', { timeout: 300000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: DESKTOP, acceptDownloads: true });
	try {
		await loginPage(page, srv.url, 'alice');
		await noAxe(page, 'rounds (empty)');

		// Create the round.
		await page.selectOption('#c-form', 'ita-2563-iit');
		assert.equal(await page.isDisabled('#c-public'), true, 'internal forms cannot be public');
		await page.fill('#c-title', 'IIT 2563 สำนักงานทดสอบ');
		await page.fill('#c-pop', '40');
		await Promise.all([page.waitForURL(/\/admin\/round\.html\?id=\d+/), page.click('#create-btn')]);
		await ready(page);
		const id = new URL(page.url()).searchParams.get('id');
		assert.match(await page.textContent('#r-title'), /IIT 2563/);

		// Open it: the console asks first.
		await page.click('#open-btn');
		await page.click('#state-confirm-ok');
		await page.waitForSelector('#close-btn');

		// Issue codes: shown once, as a CSV made in the browser...
		await page.fill('#issue-count', String(CODES));
		await page.click('#issue-btn');
		await page.waitForSelector('#once-panel');
		await page.waitForSelector('#slips-btn:not([disabled])', { timeout: 30000 });
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#csv-btn')]);
		const csv = await fs.readFile(await dl.path());
		assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM');
		const rows = csv.toString('utf8').slice(1).trim().split('\r\n');
		assert.equal(rows[0], 'code,link');
		assert.equal(rows.length, CODES + 1);
		const codes = rows.slice(1).map((r) => r.split(',')[0]);
		for (const [i, r] of rows.slice(1).entries()) {
			assert.match(codes[i], /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
			assert.equal(r.split(',')[1], `${srv.url}/respond/?round=${id}#code=${codes[i]}`);
		}
		await noAxe(page, 'round with new codes');
		await screenshot(page, 'admin-codes-once');

		// ...and as printable slips, each with the code and a QR code.
		const [slips] = await Promise.all([page.waitForEvent('popup'), page.click('#slips-btn')]);
		watch(slips);
		await ready(slips);
		assert.equal(await slips.locator('.slip').count(), CODES);
		assert.equal(await slips.locator('.slip .qr svg path').count(), CODES);
		assert.deepEqual(await slips.locator('.slip .s-code').allTextContents(), codes);
		const vb = await slips.locator('.slip .qr svg').first().getAttribute('viewBox');
		assert.match(vb, /^0 0 \d+ \d+$/);
		await screenshot(slips, 'admin-slips', { fullPage: true });
		for (const [i, r] of rows.slice(1).entries()) {
			const png = path.join(srv.dir, `qr-${i}.png`);
			await slips.locator('.slip .qr').nth(i).screenshot({ path: png });
			const read = await decodeQr(png);
			if (read !== null)
				assert.deepEqual(read, [r.split(',')[1]], `slip ${i + 1}'s QR code reads back as its link`);
		}
		await noAxe(slips, 'slips');
		await slips.pdf({ path: path.join(SHOTS, 'admin-slips.pdf'), format: 'A4' }).catch(() => {});
		assert.deepEqual(slips.problems, []);
		await slips.close();

		// Forget the codes; from now on only the counts show.
		await page.click('#forget-btn');
		await page.waitForSelector('#once-panel', { state: 'detached' });
		assert.equal(await page.textContent('#codes-issued'), String(CODES));

		// Five staff answer with their codes.
		const statuses = await submitAnswers(srv.url, id, { codes: codes.slice(0, ANSWERED) }, pick);
		assert.deepEqual(statuses, Array(ANSWERED).fill(201));

		// The scores: chart against the target line, score and grade.
		await page.click('#refresh');
		await page.waitForSelector('#instrument-score');
		const doc = await page.evaluate(async (rid) =>
		    (await fetch(`/api/v1/admin/rounds/${rid}/scores`)).json(), id);
		assert.equal(doc.published, true);
		assert.equal(await page.textContent('#instrument-score'), scoreText(doc.score));
		assert.equal(await page.textContent('#grade .grade'), doc.grade);
		assert.equal(await page.textContent('#codes-used'), String(ANSWERED));
		assert.equal(await page.locator('#score-chart rect.bar-ok, #score-chart rect.bar-low').count(),
		    doc.indicators.length);
		assert.equal(await page.locator('#score-chart line.target').count(), 1);
		assert.equal(await page.locator('svg.dist').count() > 40, true, 'answer distributions drawn');
		await noAxe(page, 'round with scores');
		await page.locator('#scores').scrollIntoViewIfNeeded();
		await screenshot(page, 'admin-round-scores');
		await page.evaluate(() => window.scrollTo(0, 0));
		await screenshot(page, 'admin-round-full', { fullPage: true });

		// English labels.
		await page.click('#lang-toggle');
		assert.equal(await page.textContent('#scores-title'), 'Scores');
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await screenshot(page, 'admin-round-en');
		await page.click('#lang-toggle');

		// The print view, and a PDF of it.
		await page.click('#report-link');
		await ready(page);
		assert.equal(await page.textContent('#instrument-score'), scoreText(doc.score));
		await noAxe(page, 'report');
		await screenshot(page, 'admin-report', { fullPage: true });
		await page.emulateMedia({ media: 'print' });
		assert.equal(await page.isVisible('#top'), false, 'no top bar on paper');
		await screenshot(page, 'admin-report-print', { fullPage: true });
		const pdf = await page.pdf({ path: path.join(SHOTS, 'admin-report.pdf'), format: 'A4',
		    printBackground: true });
		assert.ok(pdf.length > 10000, 'report PDF written');
		await page.emulateMedia({ media: 'screen' });

		// Close the round; responses can now be exported.
		await page.click('#back');
		await ready(page);
		assert.equal(await page.locator('#export-responses-xlsx').count(), 0,
		    'no responses export while open');
		await page.click('#close-btn');
		await page.click('#state-confirm-ok');
		await page.waitForSelector('#open-btn');
		await page.waitForSelector('#export-responses-xlsx');
		assert.match(await page.textContent('#final-warning'), /ปิดถาวร/, 'the page says a download is final');
		// The download asks first: declined, nothing leaves and the round stays reopenable.
		let asked = '';
		page.once('dialog', (d) => {
			asked = d.message();
			d.dismiss();
		});
		await page.click('#export-responses-xlsx');
		assert.match(asked, /ปิดถาวร/, 'a confirmation in Thai');
		const still = await page.evaluate(async (rid) => (await fetch(`/api/v1/admin/rounds/${rid}`)).json(), id);
		assert.equal(still.final, false, 'declined: not final');
		page.once('dialog', (d) => d.accept());
		const [x] = await Promise.all([page.waitForEvent('download'), page.click('#export-responses-xlsx')]);
		assert.equal(x.suggestedFilename(), `round-${id}-responses.xlsx`);
		// Accepted: the round is final, and the page says so without an open button.
		await page.waitForSelector('#r-final', { state: 'visible' });
		assert.equal(await page.locator('#open-btn').count(), 0, 'no open button on a final round');
		await noAxe(page, 'final round');
		const files = unzip(await fs.readFile(await x.path()));
		const wb = files.get('xl/workbook.xml').toString('utf8');
		const names = [...wb.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
		assert.deepEqual(names, ['คะแนน', 'คำตอบ']);
		const sc = sheetCells(files, 'xl/worksheets/sheet1.xml');
		// The row whose cell in column col (one letter) reads text.
		const rowWhere = (col, text) => Number(Object.entries(sc)
		    .find(([k, v]) => v === text && new RegExp(`^${col}[0-9]+$`).test(k))?.[0].slice(1));
		const head = rowWhere('B', 'ตัวชี้วัด / Indicator');
		assert.ok(head > 1, 'a table of indicators under the title block');
		assert.equal(sc[`D${head}`], 'คะแนน / Score');
		for (const [i, ind] of doc.indicators.entries()) {
			assert.equal(String(sc[`A${head + 1 + i}`]), ind.code);
			assert.equal(sc[`B${head + 1 + i}`], ind.name.th);
			assert.equal(sc[`D${head + 1 + i}`], ind.score);
			assert.equal(sc[`E${head + 1 + i}`], doc.target);
		}
		assert.equal(sc[`D${rowWhere('A', 'คะแนนรวม / Overall score')}`], doc.score);
		// Five respondents of a minimum of 30: the grade says it is preliminary.
		assert.match(sc[`D${rowWhere('A', 'ระดับผล / Grade')}`], new RegExp(`^${doc.grade} .*preliminary: 5 of 30 minimum`));
		assert.ok([...files.keys()].some((f) => f.startsWith('xl/charts/chart')), 'a chart');
		const rs = sheetCells(files, 'xl/worksheets/sheet2.xml');
		assert.equal(rs.A1, 'i1a');
		assert.match(rs.A2, /^บุคลากรในหน่วยงานของท่าน/, 'the question text under its code');
		const dataRows = new Set(Object.keys(rs).map((k) => Number(k.replace(/^[A-Z]+/, ''))));
		assert.equal(dataRows.size, ANSWERED + 2, 'codes, texts and one row per response');
		assert.ok(['3', '4', 3, 4].includes(rs.A3));

		// The audit log tells what was done.
		await page.goto(`${srv.url}/admin/audit.html`);
		await ready(page);
		const actions = await page.locator('#audit-body tr').evaluateAll((trs) => trs.map((t) => t.dataset.action));
		for (const a of ['login', 'round.create', 'round.open', 'tokens.issue', 'round.close', 'round.final', 'export'])
			assert.ok(actions.includes(a), `audit has ${a}`);
		await noAxe(page, 'audit');
		await screenshot(page, 'admin-audit');

		// The ITA overview, with an EIT round answered at a kiosk.
		const eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT 2563 เคาน์เตอร์' });
		const key = await addKiosk(srv, eit, 'Counter 1');
		const est = await submitAnswers(srv.url, eit, { kiosk: key, count: 5 }, pick);
		assert.deepEqual(est, Array(5).fill(201));
		await page.goto(`${srv.url}/admin/ita.html`);
		await ready(page);
		await page.selectOption('#ita-iit', id);
		await page.selectOption('#ita-eit', eit);
		// A score typed in instead of the evidence desk's estimate.
		await page.check('#ita-oit-on');
		await page.fill('#ita-oit', '69.225');
		await page.click('#ita-go');
		assert.match(await page.textContent('#ita-msg'), /.+/, 'three decimals refused');
		await page.fill('#ita-oit', '69.23');
		await page.click('#ita-go');
		await page.waitForSelector('#ita-score');
		const ita = await page.evaluate(async ([i, e]) =>
		    (await fetch(`/api/v1/admin/ita?iit=${i}&eit=${e}&oit=69.23`)).json(), [id, eit]);
		assert.equal(await page.textContent('#ita-score'), scoreText(ita.score));
		assert.equal(await page.textContent('#ita-grade .grade'), ita.grade);
		assert.equal(ita.indicators.length, 9);
		assert.deepEqual(ita.indicators.map((p) => p.weight), [6, 6, 6, 6, 6, 10, 10, 10, 40]);
		const expect = ita.indicators.reduce((s, p) => s + Math.round(p.score * 100) * p.weight, 0);
		assert.ok(Math.abs(ita.score * 100 - expect / 100) <= 0.5 + 1e-9, 'weighted mean');
		assert.equal(await page.locator('#ita-chart rect').count(), 9);
		await noAxe(page, 'ita');
		await screenshot(page, 'admin-ita', { fullPage: true });

		// The rounds list with its progress bars.
		await page.goto(`${srv.url}/admin/`);
		await ready(page);
		assert.equal(await page.locator('#rounds-body tr').count(), 2);
		assert.equal(await page.locator('#rounds-body progress').count(), 2);
		await noAxe(page, 'rounds');
		await screenshot(page, 'admin-rounds');

		// Log out: the console sends us back to the login page.
		await page.click('#logout');
		await page.waitForURL(/\/admin\/login\.html/);
		await page.goto(`${srv.url}/admin/round.html?id=${id}`);
		await page.waitForURL(/\/admin\/login\.html\?next=/);
		await ready(page);
		await noAxe(page, 'login');
		await screenshot(page, 'admin-login');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
