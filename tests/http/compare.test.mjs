// SPDX-License-Identifier: ISC
// Two rounds of the IIT compared: figures and 95 % intervals against
// values worked out by hand, significant and not, the rounds that cannot
// be compared, an unpublished round, the weak items with their answers and
// guidance, editing the guidance, the CLI and the exports.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	ROOT, startServer, createRound, issueTokens, getForm, makeAnswers, adminLogin, post, get, request, uuid,
	assertError,
} from '../lib/server.mjs';
import { unzip, parseCsv } from '../lib/xlsx.mjs';

const IIT = 'ita-2563-iit';
const FORM_FILE = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', `${IIT}.json`), 'utf8'));
const REVERSE = new Set(FORM_FILE.indicators.flatMap((i) => i.items.flatMap((it) =>
    it.questions.filter((q) => q.reverse).map((q) => q.code))));

let srv, alice, victor, form, roundA, roundB, roundEit, roundEmpty;
const api = (p) => `${srv.url}/api/v1/admin${p}`;

// Everyone answers every question with its 100-point option (so every other
// figure is 100 with no spread), except the answers given in vary.
async function answerRound(round, vary) {
	const tokens = await issueTokens(srv, round, 5);
	for (let k = 0; k < 5; k++) {
		const answers = makeAnswers(form, (q, values) => {
			if (vary[q.code])
				return vary[q.code][k];
			if (q.scale === 'YN')
				return REVERSE.has(q.code) ? 'no' : 'yes';
			return REVERSE.has(q.code) ? '1' : '4';
		});
		const r = await post(`${srv.url}/api/v1/rounds/${round}/responses`,
		    { submission_id: uuid(), token: tokens[k], answers });
		assert.equal(r.status, 201, r.text);
	}
}

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv, 'alice');
	victor = await adminLogin(srv, 'victor', { role: 'viewer' });
	roundB = await createRound(srv, IIT, { title: 'IIT last year' });
	roundA = await createRound(srv, IIT, { title: 'IIT this year' });
	roundEit = await createRound(srv, 'ita-2563-eit', { title: 'EIT' });
	roundEmpty = await createRound(srv, IIT, { title: 'IIT empty' });
	form = await getForm(srv, roundA);
	// Round A: i1a 4,4,4,4,3; i1b all 2; i2 1,1,1,1,2.
	await answerRound(roundA, { i1a: ['4', '4', '4', '4', '3'], i1b: ['2', '2', '2', '2', '2'],
	    i2: ['1', '1', '1', '1', '2'] });
	// Round B: i1a all 4; i1b all 2; i2 all 4.
	await answerRound(roundB, { i1b: ['2', '2', '2', '2', '2'] });
});

after(async () => {
	await srv?.stop();
});

/*
 * Worked by hand (points: L4 1=0, 2=33.33, 3=66.67, 4=100):
 *
 * A, i1a: 100 x4 and 66.67: sum 466.67, mean 93.334 -> 93.33.  Deviations
 *   6.666 (x4), -26.664: s^2 = (4 x 44.4356 + 710.9689) / 4 = 222.178,
 *   SE = sqrt(222.178 / 5) = 6.666.
 * A, i1b: all 33.33, SE 0.  Item i1 = (93.33 + 33.33) / 2 = 63.33, SE =
 *   sqrt(6.666^2 + 0) / 2 = 3.333; interval 63.33 +- 6.5327 = 56.80 .. 69.86.
 * A, i2: 0 x4 and 33.33: mean 6.666 -> 6.67, SE 6.666 (the same spread);
 *   interval 6.67 +- 13.0654 = -6.40 -> 0 .. 19.74.
 * A, indicator 1: items 63.33, 6.67 and four of 100: 470 / 6 = 78.333 ->
 *   78.33; SE = sqrt(3.333^2 + 6.666^2) / 6 = 7.452814 / 6 = 1.242136;
 *   +- 2.434586: 75.90 .. 80.76.
 * A, overall: (78.33 + 4 x 100) / 5 = 95.666 -> 95.67; SE 1.242136 / 5 =
 *   0.248427, +- 0.486917: 95.18 .. 96.16.
 * B: i1 = (100 + 33.33) / 2 = 66.665 -> 66.67; i2 = 100; indicator 1 =
 *   (66.67 + 500) / 6 = 94.445 -> 94.45; overall (94.45 + 400) / 5 =
 *   98.89; no spread anywhere: SE 0.
 * Changes (A - B): i1 -3.34 +- 6.5327 = -9.87 .. 3.19, not significant;
 *   i2 6.67 - 100 = -93.33 +- 13.0654 = -106.40 .. -80.26, significant;
 *   indicator 1 -16.12 +- 2.4346 = -18.55 .. -13.69, significant;
 *   overall -3.22 +- 0.4869 = -3.71 .. -2.73, significant; indicator 2
 *   100 - 100 = 0, interval 0 .. 0, not significant.
 */
test('compare: figures, intervals and significance as worked by hand', async () => {
	const r = await get(api(`/rounds/${roundA}/compare?with=${roundB}`), victor.headers);
	assert.equal(r.status, 200, r.text);
	const d = r.json;
	assert.equal(d.round, roundA);
	assert.equal(d.with, roundB);
	assert.equal(d.instrument, 'IIT');
	assert.equal(d.target, 85);
	assert.deepEqual(d.units, []);
	assert.deepEqual(d.rounds.map((x) => [x.id, x.title, x.published, x.scored, x.score, x.grade]),
	    [[roundA, 'IIT this year', true, 5, 95.67, 'AA'], [roundB, 'IIT last year', true, 5, 98.89, 'AA']]);
	assert.deepEqual(d.score, { a: 95.67, b: 98.89, a_low: 95.18, a_high: 96.16, b_low: 98.89, b_high: 98.89,
	    change: -3.22, change_low: -3.71, change_high: -2.73, significant: true });
	const ind1 = d.indicators.find((i) => i.code === '1');
	assert.deepEqual(ind1.a, { score: 78.33, low: 75.9, high: 80.76 });
	assert.deepEqual(ind1.b, { score: 94.45, low: 94.45, high: 94.45 });
	assert.deepEqual([ind1.change, ind1.change_low, ind1.change_high, ind1.significant], [-16.12, -18.55, -13.69, true]);
	assert.equal(ind1.name.en, 'Performance of duty');
	const i1 = ind1.items.find((i) => i.code === 'i1');
	assert.deepEqual(i1.a, { score: 63.33, low: 56.8, high: 69.86, n: 5 });
	assert.deepEqual(i1.b, { score: 66.67, low: 66.67, high: 66.67, n: 5 });
	assert.deepEqual([i1.change, i1.change_low, i1.change_high, i1.significant], [-3.34, -9.87, 3.19, false]);
	const i2 = ind1.items.find((i) => i.code === 'i2');
	assert.deepEqual(i2.a, { score: 6.67, low: 0, high: 19.74, n: 5 });
	assert.deepEqual([i2.change, i2.change_low, i2.change_high, i2.significant], [-93.33, -106.4, -80.26, true]);
	const ind2 = d.indicators.find((i) => i.code === '2');
	assert.deepEqual([ind2.a.score, ind2.b.score, ind2.change, ind2.significant], [100, 100, 0, false]);
	assert.equal(d.indicators.length, 5);
	// The scores pages say the same figures.
	const sa = (await get(api(`/rounds/${roundA}/scores`), victor.headers)).json;
	assert.equal(sa.score, d.score.a);
	assert.equal(sa.indicators[0].items[0].score, i1.a.score);

	// Weak items: below 85, weakest first, with answers and guidance.
	assert.deepEqual(d.weak.map((w) => [w.code, w.score, w.change]), [['i2', 6.67, -93.33], ['i1', 63.33, -3.34]]);
	const w1 = d.weak[1];
	assert.deepEqual(w1.indicator, { code: '1', name: ind1.name });
	assert.deepEqual([w1.low, w1.high], [56.8, 69.86]);
	assert.deepEqual(w1.distribution.map((q) => [q.question, q.n, q.options.map((o) => [o.value, o.count, o.percent])]), [
		['i1a', 5, [['1', 0, 0], ['2', 0, 0], ['3', 1, 20], ['4', 4, 80]]],
		['i1b', 5, [['1', 0, 0], ['2', 5, 100], ['3', 0, 0], ['4', 0, 0]]],
	]);
	assert.equal(typeof w1.distribution[0].options[3].label.th, 'string');
	const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', 'ita-guidance.json'), 'utf8'));
	assert.deepEqual(w1.guidance, { th: file.indicators['1'].th, en: file.indicators['1'].en, edited: false });

	// The same weak items alone, with and without the other round.
	const w = (await get(api(`/rounds/${roundA}/weak?with=${roundB}`), victor.headers)).json;
	assert.deepEqual(w.weak, d.weak);
	const w0 = (await get(api(`/rounds/${roundA}/weak`), victor.headers)).json;
	assert.deepEqual(w0.weak.map((x) => [x.code, x.change]), [['i2', null], ['i1', null]]);
	assert.equal(w0.with, null);
	// B has nothing below the target but i1.
	const wb = (await get(api(`/rounds/${roundB}/weak`), victor.headers)).json;
	assert.deepEqual(wb.weak.map((x) => x.code), ['i1']);
});

test('not comparable, the same round, an unpublished round, bad requests', async () => {
	assertError(assert, await get(api(`/rounds/${roundA}/compare?with=${roundEit}`), victor.headers), 422,
	    'not_comparable', 'IIT with EIT');
	assertError(assert, await get(api(`/rounds/${roundA}/compare?with=${roundA}`), victor.headers), 422,
	    'not_comparable', 'itself');
	assertError(assert, await get(api(`/rounds/${roundA}/compare`), victor.headers), 400, 'bad_request', 'no with');
	assertError(assert, await get(api(`/rounds/${roundA}/compare?with=x1`), victor.headers), 400, 'bad_request');
	assertError(assert, await get(api(`/rounds/${roundA}/compare?with=999`), victor.headers), 404, 'not_found');
	assertError(assert, await get(api(`/rounds/${roundA}/compare?with=${roundB}`)), 401, 'unauthorized');

	const d = (await get(api(`/rounds/${roundA}/compare?with=${roundEmpty}`), victor.headers)).json;
	assert.deepEqual(d.rounds[1], { id: roundEmpty, title: 'IIT empty', form: IIT, published: false, scored: 0,
	    score: null, grade: null });
	assert.equal(d.score.b, null);
	assert.equal(d.score.change, null);
	assert.equal(d.score.significant, null);
	for (const ind of d.indicators) {
		assert.equal(ind.b, null);
		assert.equal(ind.change, null);
		for (const it of ind.items)
			assert.deepEqual([it.b, it.change, it.significant], [null, null, null]);
	}
	assert.equal(d.weak.length, 2);
	const e = (await get(api(`/rounds/${roundEmpty}/compare?with=${roundA}`), victor.headers)).json;
	assert.deepEqual(e.weak, []);
	assert.equal(e.indicators[0].a, null);
});

test('guidance: list, edit, restore; admin only, CSRF, bounds, audit', async () => {
	const l = await get(api('/guidance'), victor.headers);
	assert.equal(l.status, 200, l.text);
	assert.deepEqual(l.json.indicators.map((i) => i.code), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
	const g1 = l.json.indicators[0];
	assert.equal(g1.instrument, 'IIT');
	assert.equal(g1.name.en, 'Performance of duty');
	assert.equal(g1.guidance.edited, false);
	assert.deepEqual(g1.default, { th: g1.guidance.th, en: g1.guidance.en });
	assert.equal(l.json.indicators[9].instrument, 'OIT');

	const body = { th: 'แนวทางของเรา\n- ข้อหนึ่ง', en: 'Our own way\n- one' };
	assertError(assert, await request(api('/guidance/1'), { method: 'PUT', body, headers: victor.headers }), 403,
	    'forbidden', 'viewer');
	assertError(assert, await request(api('/guidance/1'), { method: 'PUT', body,
	    headers: { cookie: alice.headers.cookie } }), 403, 'csrf', 'no CSRF');
	assertError(assert, await request(api('/guidance/77'), { method: 'PUT', body, headers: alice.headers }), 404,
	    'unknown_indicator');
	for (const bad of [{ th: '', en: 'x' }, { th: 'x', en: 'a'.repeat(4001) }, { th: 'bell\u0007', en: 'x' },
	    { th: 'x\r\ny', en: 'x' }])
		assertError(assert, await request(api('/guidance/1'), { method: 'PUT', body: bad, headers: alice.headers }),
		    422, 'bad_guidance', JSON.stringify(bad).slice(0, 40));
	assertError(assert, await request(api('/guidance/1'), { method: 'PUT', body: { th: 'x' }, headers: alice.headers }),
	    400, 'bad_request');
	// Nothing changed so far.
	assert.equal((await get(api('/guidance'), victor.headers)).json.indicators[0].guidance.edited, false);

	const p = await request(api('/guidance/1'), { method: 'PUT', body, headers: alice.headers });
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.edited, true);
	assert.equal(p.json.th, body.th);
	assert.equal(p.json.updated_by, 'alice');
	const w = (await get(api(`/rounds/${roundA}/weak`), victor.headers)).json;
	assert.deepEqual(w.weak[0].guidance, { th: body.th, en: body.en, edited: true, updated_at: p.json.updated_at,
	    updated_by: 'alice' });
	let audit = (await get(api('/audit?action=guidance'), alice.headers)).json.audit;
	assert.equal(audit.length, 1);
	assert.equal(audit[0].action, 'guidance.set');
	assert.match(JSON.stringify(audit[0]), /indicator 1/);

	assertError(assert, await request(api('/guidance/1'), { method: 'DELETE', headers: victor.headers }), 403,
	    'forbidden');
	const del = await request(api('/guidance/1'), { method: 'DELETE', headers: alice.headers });
	assert.equal(del.status, 200, del.text);
	assert.equal(del.json.guidance.edited, false);
	assert.equal(del.json.guidance.th, g1.default.th);
	audit = (await get(api('/audit?action=guidance'), alice.headers)).json.audit;
	assert.deepEqual(audit.map((a) => a.action).sort(), ['guidance.reset', 'guidance.set']);
	// Restoring again changes nothing and writes no line.
	assert.equal((await request(api('/guidance/1'), { method: 'DELETE', headers: alice.headers })).status, 200);
	assert.equal((await get(api('/audit?action=guidance'), alice.headers)).json.audit.length, 2);
});

test('CLI compare: text and --json', async () => {
	const j = await srv.cli(['compare', '--round', String(roundA), '--with', String(roundB), '--json']);
	assert.equal(j.code, 0, j.stderr);
	const api2 = (await get(api(`/rounds/${roundA}/compare?with=${roundB}`), victor.headers)).json;
	assert.deepEqual(JSON.parse(j.stdout), api2);
	const t = await srv.cli(['compare', '--round', String(roundA), '--with', String(roundB)]);
	assert.equal(t.code, 0, t.stderr);
	assert.match(t.stdout, /^A: round \d+ "IIT this year"/);
	assert.match(t.stdout, /\n1 +78\.33 +94\.45 +-16\.12 \* +การปฏิบัติหน้าที่ \/ Performance of duty +\[-18\.55, -13\.69\]\n/);
	assert.match(t.stdout, /\n {2}i1 +63\.33 +66\.67 +-3\.34 {5}\S/);
	assert.match(t.stdout, /\nscore +95\.67 +98\.89 +-3\.22 \*/);
	assert.match(t.stdout, /weak items[^\n]*\ni2 +6\.67 +indicator 1 /);
	const bad = await srv.cli(['compare', '--round', String(roundA), '--with', String(roundEit)]);
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /same instrument/);
	assert.equal((await srv.cli(['compare', '--round', String(roundA)])).code, 2);
});

test('exports: CSV, JSON, XLSX with its chart; audited; rounds stay as they are', async () => {
	const dl = (fmt, who = victor) => get(api(`/rounds/${roundA}/export?what=compare&with=${roundB}&format=${fmt}`),
	    who.headers);
	const c = await dl('csv');
	assert.equal(c.status, 200, c.text);
	assert.match(c.headers.get('content-type'), /^text\/csv/);
	assert.match(c.headers.get('content-disposition'), /round-\d+-compare-\d+\.csv/);
	assert.ok(c.buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])));
	const rows = parseCsv(c.text.slice(1));
	assert.deepEqual(rows[0], ['level', 'code', 'name_th', 'name_en', 'score_a', 'low_a', 'high_a', 'score_b', 'low_b',
	    'high_b', 'change', 'significant']);
	assert.deepEqual(rows[1], ['indicator', '1', 'การปฏิบัติหน้าที่', 'Performance of duty', '78.33', '75.90', '80.76',
	    '94.45', '94.45', '94.45', '-16.12', 'true']);
	assert.deepEqual(rows[2].slice(0, 2).concat(rows[2].slice(4)), ['item', 'i1', '63.33', '56.80', '69.86', '66.67',
	    '66.67', '66.67', '-3.34', 'false']);
	// Figures stay numbers (no formula guard on a number we printed);
	// text keeps the guard.
	assert.match(c.text, /,-16\.12,true\r\n/);
	const j = await dl('json');
	assert.equal(j.json.score.change, -3.22);
	const x = await dl('xlsx');
	assert.equal(x.status, 200);
	const parts = unzip(x.buf);
	assert.ok(parts.has('xl/charts/chart1.xml'), [...parts.keys()].join(' '));
	const chart = parts.get('xl/charts/chart1.xml').toString('utf8');
	assert.match(chart, /<c:barChart>/);
	assert.equal((chart.match(/<c:ser>/g) ?? []).length, 2);
	const wb = parts.get('xl/workbook.xml').toString('utf8');
	assert.match(wb, /name="เปรียบเทียบ"/);
	assert.match(wb, /name="ข้อที่ต่ำกว่าเป้าหมาย"/);
	const strs = parts.get('xl/sharedStrings.xml').toString('utf8');
	assert.ok(strs.includes('IIT this year') && strs.includes('IIT last year'));
	assert.ok(strs.includes(JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', 'ita-guidance.json'),
	    'utf8')).indicators['1'].en.split('\n')[0]));

	assertError(assert, await get(api(`/rounds/${roundA}/export?what=compare&format=csv`), victor.headers), 400,
	    'bad_request');
	assertError(assert, await get(api(`/rounds/${roundA}/export?what=compare&with=${roundEit}&format=csv`),
	    victor.headers), 422, 'not_comparable');

	const audit = (await get(api('/audit?action=export'), alice.headers)).json.audit;
	assert.equal(audit.filter((a) => a.facts?.what === 'compare' || /compare|เปรียบเทียบ/.test(JSON.stringify(a)))
	    .length, 3);
	const rd = (await get(api(`/rounds/${roundA}`), victor.headers)).json;
	assert.equal(rd.final, false);
	assert.equal(rd.state, 'open');

	// The CLI writes the same CSV.
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ita-cmp-')), 'c.csv');
	const r = await srv.cli(['export', '--round', String(roundA), '--what', 'compare', '--with', String(roundB),
	    '--format', 'csv', '--out', out]);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(fs.readFileSync(out, 'utf8'), c.text);
	assert.equal((await srv.cli(['export', '--round', String(roundA), '--what', 'compare', '--format', 'csv'])).code, 2);
});

test('forms check: a broken guidance file is reported by path', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-guid-'));
	for (const f of ['ita-2563-iit.json', 'ita-2563-eit.json'])
		fs.copyFileSync(path.join(ROOT, 'forms', f), path.join(dir, f));
	const g = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', 'ita-guidance.json'), 'utf8'));
	g.indicators['3'].en = '';
	g.indicators['4'] = { th: 'x', en: 'y', extra: 1 };
	g.indicators.x9 = { th: 'x', en: 'y' };
	fs.writeFileSync(path.join(dir, 'ita-guidance.json'), JSON.stringify(g));
	const r = await srv.cli(['forms', 'check', dir]);
	assert.equal(r.code, 1);
	const file = path.join(dir, 'ita-guidance.json');
	assert.ok(r.stderr.includes(`${file}: $.indicators.3: "en" must be 1 to 4000 bytes`), r.stderr);
	assert.ok(r.stderr.includes(`${file}: $.indicators.4: unknown key "extra"`), r.stderr);
	assert.ok(r.stderr.includes(`${file}: $.indicators.x9: `), r.stderr);
	const ok = await srv.cli(['forms', 'check', 'forms']);
	assert.match(ok.stdout, /ita-guidance\.json: ok \(guidance, 10 indicators\)/);
});
