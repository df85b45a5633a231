// SPDX-License-Identifier: ISC
// The staff questionnaire (/respond/) against a real ita-survey daemon.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound, issueTokens, scores, respondents } from './lib/server.mjs';
import { launch, newPage, screen, screenshot } from './lib/browser.mjs';

let srv;
let browser;
let round;
let tokens;

before(async () => {
	srv = await startServer();
	browser = await launch();
	round = await openRound(srv, 'ita-2563-iit', { title: 'IIT browser test', population: 40 });
	tokens = await issueTokens(srv, round, 6);
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// Answers every question of the questionnaire screen by clicking its labels,
// cycling through the options so the answers differ.
async function answerAll(page) {
	const sets = await page.$$eval('#questions fieldset.q', (fs) => fs.map((f) => ({
		code: f.dataset.code,
		values: [...f.querySelectorAll('input')].map((i) => i.value),
	})));
	let i = 0;
	for (const { code, values } of sets)
		await page.click(`#questions label[for="a-${code}-${values[i++ % values.length]}"]`);
	return sets.length;
}

test('a staff member completes the IIT with a fresh code', { timeout: 180000 }, async () => {
	const { context, page } = await newPage(browser);
	try {
		await page.goto(`${srv.url}/respond/?round=${round}#code=${tokens[0].toLowerCase()}`);
		await screen(page, 'screen-entry');
		// The code left the address bar; it is filled in, normalised.
		assert.equal(new URL(page.url()).hash, '');
		assert.equal(await page.inputValue('#code-input'), tokens[0]);
		// What is stored, in Thai first, then in English.
		const th = await page.textContent('.privacy');
		assert.match(th, /ไม่เก็บหมายเลข IP/);
		assert.match(th, /อย่างน้อย 5 คน/);
		await page.click('#lang-toggle');
		const en = await page.textContent('.privacy');
		assert.match(en, /IP address/);
		assert.match(en, /Nobody, administrators included, can link answers to a person/);
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await page.click('#lang-toggle');
		assert.equal(await page.getAttribute('html', 'lang'), 'th');

		await page.click('#start-btn');
		await screen(page, 'screen-form');
		assert.match(await page.textContent('#form-title'), /IIT/);
		assert.equal(await page.locator('#questions fieldset.q').count(), 51);
		assert.equal(await page.locator('#questions section.part').count(), 5);

		// Review before answering: every required question is flagged and
		// the first one gets the focus.
		await page.click('#review-btn');
		assert.equal(await page.locator('#questions fieldset.q.missing').count(), 51);
		assert.match(await page.textContent('#form-msg'), /ยังไม่ได้ตอบ 51 ข้อ/);
		const focused = await page.evaluate(() => document.activeElement && document.activeElement.name);
		assert.equal(focused, 'i1a');
		await screenshot(page, 'respond-missing-phone');

		const n = await answerAll(page);
		assert.equal(n, 51);
		assert.equal(await page.locator('#questions fieldset.q.missing').count(), 0);
		assert.match(await page.textContent('#progress-label'), /51 จาก 51/);

		await page.click('#review-btn');
		await screen(page, 'screen-review');
		assert.equal(await page.locator('#review-list li').count(), 51);
		assert.equal(await page.locator('#review-list .ra.none').count(), 0);

		// Change one answer from the review, come back, send.
		await page.locator('#review-list li[data-code="i2"] button').click();
		await screen(page, 'screen-form');
		await page.click('label[for="a-i2-4"]');
		await page.click('#review-btn');
		await screen(page, 'screen-review');
		assert.match(await page.textContent('#review-list li[data-code="i2"] .ra'), /มากที่สุด/);

		await page.click('#submit-btn');
		await screen(page, 'screen-done');
		assert.match(await page.textContent('#done-title'), /ขอบคุณ/);
		// Nothing of the person is left in the tab.
		assert.equal(await page.evaluate(() => sessionStorage.getItem('ita-respond')), null);
		assert.deepEqual(page.problems, []);

		assert.equal(await respondents(srv, round), 1);
		const sc = await scores(srv, round);
		assert.equal(sc.respondents, 0, 'one response shows as none: counts move in steps of min_cell');
	} finally {
		await context.close();
	}
});

test('a used code, an unknown code and a mistyped code get their own messages', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser);
	try {
		// tokens[0] was used by the test above; use tokens[5] here through the API
		// so this test stands alone.
		const used = tokens[5];
		const res = await page.request.post(`${srv.url}/api/v1/rounds/${round}/responses`, {
			data: { submission_id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', token: used, answers: await allAnswers(page) },
		});
		assert.equal(res.status(), 201, await res.text());

		await page.goto(`${srv.url}/respond/?round=${round}#code=${used}`);
		await screen(page, 'screen-entry');
		await page.click('#start-btn');
		await page.locator('#entry-msg p').waitFor();
		assert.match(await page.textContent('#entry-msg'), /รหัสนี้ถูกใช้ตอบแบบสอบถามไปแล้ว/);
		assert.equal(await page.getAttribute('#code-input', 'aria-invalid'), 'true');
		assert.ok(await page.locator('#screen-form').isHidden());
		await screenshot(page, 'respond-used-code-phone');
		await page.click('#lang-toggle');
		assert.match(await page.textContent('#entry-msg'), /already been used/);
		await page.click('#lang-toggle');

		await page.fill('#code-input', '0000-0000-0000-0000');
		await page.click('#start-btn');
		await page.locator('#entry-msg p', { hasText: 'ไม่พบรหัสเข้าตอบนี้' }).waitFor();

		await page.fill('#code-input', 'ABC');
		await page.click('#start-btn');
		await page.locator('#entry-msg p', { hasText: 'ต้องมี 16 ตัว' }).waitFor();
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

// A complete set of answers, from the form the server gives.
async function allAnswers(page) {
	const res = await page.request.get(`${srv.url}/api/v1/rounds/${round}/form`);
	const form = await res.json();
	const out = {};
	for (const ind of form.indicators)
		for (const item of ind.items)
			for (const q of item.questions)
				out[q.code] = form.scales[q.scale].options[0].value;
	return out;
}

test('without ?round= the page asks for the round number', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser);
	try {
		await page.goto(`${srv.url}/respond/#code=${tokens[1]}`);
		await screen(page, 'screen-entry');
		assert.ok(await page.locator('#round-input').isVisible());
		await page.click('#start-btn');
		await page.locator('#entry-msg p', { hasText: 'หมายเลขรอบ' }).waitFor();
		await page.fill('#round-input', round);
		await page.click('#start-btn');
		await screen(page, 'screen-form');
		assert.equal(new URL(page.url()).searchParams.get('round'), round);
	} finally {
		await context.close();
	}
});

test('a lost network keeps the answers, and a retry is not counted twice', { timeout: 120000 }, async () => {
	const { context, page } = await newPage(browser);
	try {
		const before = await respondents(srv, round);
		await page.goto(`${srv.url}/respond/?round=${round}#code=${tokens[2]}`);
		await page.click('#start-btn');
		await screen(page, 'screen-form');
		await answerAll(page);

		// 1. The request never reaches the server.
		await page.route('**/responses', (r) => r.abort('internetdisconnected'));
		await page.click('#review-btn');
		await page.click('#submit-btn');
		await page.locator('#submit-msg p', { hasText: 'ไม่สามารถติดต่อเซิร์ฟเวอร์ได้' }).waitFor();
		assert.match(await page.textContent('#submit-btn'), /ลองส่งอีกครั้ง/);
		await screenshot(page, 'respond-network-error-phone');

		// 2. The server stores it but the answer is lost on the way back.
		await page.unroute('**/responses');
		const sent = [];
		await page.route('**/responses', async (r) => {
			sent.push(JSON.parse(r.request().postData()).submission_id);
			await r.fetch();
			await r.abort('connectionreset');
		});
		await page.click('#submit-btn');
		await page.locator('#submit-msg p', { hasText: 'ไม่สามารถติดต่อเซิร์ฟเวอร์ได้' }).waitFor();
		assert.equal(await respondents(srv, round), before + 1);

		// 3. The retry carries the same submission_id: already_accepted.
		await page.unroute('**/responses');
		const replay = page.waitForResponse('**/responses');
		await page.click('#submit-btn');
		const res = await replay;
		assert.equal(res.status(), 200);
		assert.equal((await res.json()).status, 'already_accepted');
		await screen(page, 'screen-done');
		assert.equal(sent.length, 1);
		assert.equal(JSON.parse(res.request().postData()).submission_id, sent[0]);
		assert.equal(await respondents(srv, round), before + 1);
	} finally {
		await context.close();
	}
});

test('a reload in the middle keeps the answers in the tab', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser);
	try {
		// What the page fetches, with the validators the browser sent.
		const seen = [];
		page.on('response', async (resp) => {
			const h = await resp.request().allHeaders();
			seen.push({ url: resp.url(), status: resp.status(), inm: h['if-none-match'] ?? null,
			    enc: (await resp.allHeaders())['content-encoding'] ?? null });
		});
		await page.goto(`${srv.url}/respond/?round=${round}#code=${tokens[3]}`);
		await page.click('#start-btn');
		await screen(page, 'screen-form');
		await page.click('label[for="a-i1a-3"]');
		await page.click('label[for="a-i4a-no"]');
		const before = seen.length;
		await page.reload();
		await screen(page, 'screen-entry');
		assert.match(await page.textContent('#entry-info'), /ยังอยู่ครบ/);
		assert.equal(await page.inputValue('#code-input'), tokens[3]);
		await page.click('#start-btn');
		await screen(page, 'screen-form');
		assert.ok(await page.isChecked('#a-i1a-3'));
		assert.ok(await page.isChecked('#a-i4a-no'));
		assert.match(await page.textContent('#progress-label'), /ตอบแล้ว 2 จาก 51/);
		// The first load came compressed; the reload asked with the
		// ETags it had (issue 15): the form and the scripts answer 304.
		const form = `/api/v1/rounds/${round}/form`;
		const first = seen.slice(0, before);
		const again = seen.slice(before);
		assert.ok(first.some((x) => x.url.endsWith(form) && x.status === 200 && x.enc === 'gzip'),
		    JSON.stringify(first));
		assert.ok(again.some((x) => x.url.endsWith(form) && x.inm !== null), JSON.stringify(again));
		assert.ok(again.some((x) => x.url.endsWith('/js/respond.js') && x.inm !== null), JSON.stringify(again));
	} finally {
		await context.close();
	}
});

test('a closed round says so', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser);
	try {
		const closed = await openRound(srv, 'ita-2563-iit', { title: 'closed' });
		const [tok] = await issueTokens(srv, closed, 1);
		await srv.cli(['round', 'close', closed]);
		await page.goto(`${srv.url}/respond/?round=${closed}#code=${tok}`);
		await page.locator('#entry-msg p', { hasText: 'ปิดรับคำตอบแล้ว' }).waitFor();
		await page.goto(`${srv.url}/respond/?round=999999#code=${tok}`);
		await page.locator('#entry-msg p', { hasText: 'ไม่พบรอบการประเมินนี้' }).waitFor();
	} finally {
		await context.close();
	}
});
