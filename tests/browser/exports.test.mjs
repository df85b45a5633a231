// SPDX-License-Identifier: ISC
// The console's XLSX downloads, read back through LibreOffice as the
// committee will open them (tests/lib/xlsx.mjs: soffice --headless
// --convert-to csv): the scores file from a round's page at desktop
// size, the responses file from a 390 px phone.  Each says what it is
// (agency, round, Thai labels with English beside them) and, at 5 of a
// minimum of 30 respondents, that it is preliminary.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { startServer, openRound, issueTokens } from './lib/server.mjs';
import { launch, newPage } from './lib/browser.mjs';
import { addAdmin, loginPage, ready, submitAnswers } from './lib/admin.mjs';
import { readBack, cellsOf, rowOf } from '../lib/xlsx.mjs';

const AGENCY = 'สำนักงานทดสอบ กรมตัวอย่าง';
const TITLE = 'IIT 2569 สำนักงานทดสอบ';

let srv;
let browser;
let round;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	await srv.cli(['settings', 'set', 'agency', AGENCY]);
	// A population of 40: the minimum sample is the form's 30.
	round = await openRound(srv, 'ita-2563-iit', { title: TITLE, population: 40 });
	const codes = await issueTokens(srv, round, 5);
	const st = await submitAnswers(srv.url, round, { codes }, (q, i) => q.options[(i + q.code.length) % q.options.length]);
	assert.deepEqual(st, Array(5).fill(201));
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// The download the click on selector starts, read back through LibreOffice.
async function downloaded(page, selector) {
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
	return { name: dl.suggestedFilename(), book: await readBack(await fs.readFile(await dl.path())) };
}

function saysWhatItIs(rows) {
	assert.ok(rows[0][0].startsWith(TITLE), rows[0][0]);
	assert.deepEqual(rowOf(rows, 'หน่วยงาน / Agency').slice(0, 2), ['หน่วยงาน / Agency', AGENCY]);
	assert.equal(rowOf(rows, 'รอบการสำรวจ / Round')[1], TITLE);
	const cells = cellsOf(rows);
	for (const label of ['ตัวชี้วัด / Indicator', 'คะแนน / Score', 'ระดับผล / Grade', 'การปฏิบัติหน้าที่'])
		assert.ok(cells.includes(label), label);
	assert.deepEqual(rowOf(rows, 'สถานะกลุ่มตัวอย่าง / Sample').slice(1, 3),
	    ['ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน', 'preliminary: 5 of 30 minimum']);
	assert.match(rowOf(rows, 'ระดับผล / Grade')[3], /preliminary: 5 of 30 minimum/);
}

test('the scores XLSX from a round page says what it is (desktop)', { timeout: 180000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 },
	    acceptDownloads: true });
	try {
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/round.html?id=${round}`);
		await ready(page);
		const { name, book } = await downloaded(page, '#export-scores-xlsx');
		assert.equal(name, `round-${round}-scores.xlsx`);
		assert.deepEqual(book.names, ['คะแนน']);
		saysWhatItIs(book.sheets['คะแนน']);
		const doc = await page.evaluate(async (id) => (await fetch(`/api/v1/admin/rounds/${id}/scores`)).json(), round);
		const rows = book.sheets['คะแนน'];
		assert.equal(Number(rowOf(rows, 'คะแนนรวม / Overall score')[3]), doc.score);
		for (const ind of doc.indicators)
			assert.equal(Number(rows.find((r) => r[1] === ind.name.th)[3]), ind.score, ind.name.th);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

test('the responses XLSX from a phone: question text over the answers', { timeout: 180000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 },
	    acceptDownloads: true });
	try {
		// Closed from the shell: this test is about the download.
		await srv.cli(['round', 'close', round]);
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/round.html?id=${round}`);
		await ready(page);
		await page.waitForSelector('#export-responses-xlsx');
		// The download asks first (it makes the round final): yes.
		page.on('dialog', (d) => d.accept());
		const { name, book } = await downloaded(page, '#export-responses-xlsx');
		assert.equal(name, `round-${round}-responses.xlsx`);
		assert.deepEqual(book.names, ['คะแนน', 'คำตอบ']);
		saysWhatItIs(book.sheets['คะแนน']);
		const rs = book.sheets['คำตอบ'];
		assert.equal(rs[0][0], 'i1a');
		assert.match(rs[1][0], /^บุคลากรในหน่วยงานของท่าน/);
		assert.equal(rs.slice(2).filter((r) => r.some((c) => c !== '')).length, 5);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
