// SPDX-License-Identifier: ISC
// Units: codes and kiosks carry an organisational unit, a response carries
// it and nothing more, and per-unit figures are published only for units
// large enough to hide in: a round with units of 7, 3 and 8 respondents
// (min_cell 5) never shows the unit of 3, and no published figure, export
// or difference of them gives its answers back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, getForm, makeAnswers, questions, adminLogin, post, get, request,
	uuid, assertError, sql, addKiosk,
} from '../lib/server.mjs';
import { unzip, parseCsv } from '../lib/xlsx.mjs';

const IIT = 'ita-2563-iit';
const EIT = 'ita-2563-eit';
let srv, admin, viewer;

// Each unit answers in its own pattern, so that its counts are its own:
// option index k of every question (clamped to the scale).
const PATTERN = { 'กองคลัง': 2, 'กองช่าง': 0, 'สำนักปลัด': 3 };
const SIZES = { 'กองคลัง': 3, 'กองช่าง': 7, 'สำนักปลัด': 8 };

function answersFor(form, k) {
	return makeAnswers(form, (q, values) => values[Math.min(k, values.length - 1)]);
}

// The counts {question: {value: n}} that n answers of pattern k make.
function countsOf(form, k, n) {
	const c = {};
	for (const q of questions(form)) {
		const values = form.scales[q.scale].options.map((o) => o.value);
		c[q.code] = Object.fromEntries(values.map((v) => [v, 0]));
		c[q.code][values[Math.min(k, values.length - 1)]] = n;
	}
	return c;
}

const flat = (c) => Object.keys(c).sort().flatMap((q) => Object.keys(c[q]).sort().map((v) => c[q][v]));

async function issue(round, count, unit) {
	const args = ['tokens', 'issue', '--round', String(round), '--count', String(count)];
	if (unit !== undefined)
		args.push('--unit', unit);
	const r = await srv.cli(args);
	assert.equal(r.code, 0, r.stderr);
	return r.stdout.split('\n').filter(Boolean);
}

async function submit(round, token, answers) {
	const r = await post(`${srv.url}/api/v1/rounds/${round}/responses`,
	    { submission_id: uuid(), token, answers });
	assert.equal(r.status, 201, r.text);
}

const api = (p, h = admin.headers) => get(`${srv.url}/api/v1/admin${p}`, h);

before(async () => {
	srv = await startServer({ args: ['--rate-limits', 'off'] });
	admin = await adminLogin(srv, 'alice');
	viewer = await adminLogin(srv, 'victor', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

test('units of 7, 3 and 8: the unit of 3 is never shown nor recoverable from any published figure', async () => {
	const round = await createRound(srv, IIT, { title: 'หน่วยงาน 2569' });
	const form = await getForm(srv, round);
	const codes = {};
	for (const [unit, n] of Object.entries(SIZES))
		codes[unit] = await issue(round, n, unit);
	// Interleaved, as staff of several units answer through a day.
	const order = [];
	for (let i = 0; i < 8; i++)
		for (const unit of Object.keys(SIZES))
			if (i < SIZES[unit])
				order.push(unit);
	for (const unit of order)
		await submit(round, codes[unit].shift(), answersFor(form, PATTERN[unit]));

	// What is stored: each response carries its unit, nothing more.
	const stored = await sql(srv.db, `SELECT u.name AS unit, count(*) AS n FROM responses r
	    JOIN units u ON u.id = r.unit_id WHERE r.round_id = ${round} GROUP BY u.name ORDER BY u.name`);
	assert.deepEqual(Object.fromEntries(stored.map((x) => [x.unit, x.n])), SIZES);

	const r = await api(`/rounds/${round}/units`);
	assert.equal(r.status, 200, r.text);
	const doc = r.json;
	assert.equal(doc.min_cell, 5);
	assert.equal(doc.respondents, 15);
	assert.equal(doc.unassigned, false);
	const by = Object.fromEntries(doc.units.map((u) => [u.name, u]));
	assert.deepEqual(Object.keys(by).sort(), Object.keys(SIZES).sort());
	// กองคลัง (3) is below min_cell; alone it would be the total minus the
	// rest, so the next smallest, กองช่าง (7, published 5), is hidden too.
	assert.deepEqual(by['กองคลัง'], { name: 'กองคลัง', shown: false });
	assert.deepEqual(by['กองช่าง'], { name: 'กองช่าง', shown: false });
	assert.equal(by['สำนักปลัด'].shown, true);
	assert.equal(by['สำนักปลัด'].respondents, 5, 'in steps of min_cell');
	assert.equal(doc.hidden, 2);
	// สำนักปลัด answered the last option everywhere: every L4 item of a
	// non-reverse question scores 100.
	assert.equal(by['สำนักปลัด'].indicators.find((i) => i.code === '1').items
	    .find((i) => i.code === 'i1').score, 100);
	// Viewers read it too; the CLI prints the same document.
	assert.equal((await api(`/rounds/${round}/units`, viewer.headers)).status, 200);
	const cli = await srv.cli(['scores', '--round', String(round), '--by-unit', '--json']);
	assert.equal(cli.code, 0, cli.stderr);
	assert.deepEqual(JSON.parse(cli.stdout), doc);
	const text = await srv.cli(['scores', '--round', String(round), '--by-unit']);
	assert.match(text.stdout, /hidden\s+กองคลัง/);
	assert.match(text.stdout, /^5\s+[A-F]+\s+\d+\.\d\d\s+สำนักปลัด$/m);

	// The exports say the same, hidden units by name only.
	const exp = (what, format) => api(`/rounds/${round}/export?what=${what}&format=${format}`);
	const j = await exp('units', 'json');
	assert.equal(j.status, 200, j.text);
	assert.deepEqual(j.json, doc);
	const csv = parseCsv((await exp('units', 'csv')).text.replace(/^\uFEFF/, ''));
	assert.deepEqual(csv[0], ['unit', 'shown', 'level', 'code', 'name_th', 'name_en', 'score', 'respondents']);
	for (const row of csv.slice(1).filter((x) => x[1] === 'false'))
		assert.deepEqual([row[6], row[7]], ['', ''], `no figure for ${row[0]}`);
	assert.ok(csv.some((x) => x[0] === 'กองคลัง'));
	assert.ok(csv.some((x) => x[0] === 'สำนักปลัด' && x[2] === 'item' && x[3] === 'i1' && x[6] === '100.00'));
	const x = await exp('units', 'xlsx');
	assert.equal(x.status, 200);
	const parts = unzip(x.buf);
	assert.ok(parts.has('xl/charts/chart1.xml'), 'a chart of the shown units');
	const sheet = parts.get('xl/worksheets/sheet1.xml').toString();
	const cellNumbers = [...sheet.matchAll(/<c r="[A-Z]+\d+"(?: s="\d+")?><v>([^<]*)<\/v>/g)].map((m) => Number(m[1]));
	assert.ok(cellNumbers.includes(5) && !cellNumbers.includes(3) && !cellNumbers.includes(7));
	const audit = await sql(srv.db, `SELECT detail FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1`);
	assert.match(audit[0].detail, /units of round/);

	// Every published count vector, and every difference of two, is
	// checked against the hidden units' own counts.
	const scoresDoc = (await api(`/rounds/${round}/scores`)).json;
	const published = [scoresDoc, (await exp('scores', 'json')).json];
	const vectors = [flat(Object.fromEntries(questions(form).map((q) => [q.code, {}])))];
	for (const d of published) {
		const c = {};
		for (const ind of d.indicators)
			for (const it of ind.items)
				for (const q of it.questions)
					c[q.code] = q.counts;
		vectors.push(flat(c));
	}
	const zero = vectors[0].map(() => 0);
	vectors[0] = zero;
	const hidden = ['กองคลัง', 'กองช่าง'].map((u) => flat(countsOf(form, PATTERN[u], SIZES[u])));
	// A comparison with another round shows each round's units by its
	// own rule, and nothing of a unit its round hides.
	const prev = await createRound(srv, IIT, { title: 'หน่วยงาน 2568' });
	for (const [unit, n] of [['กองคลัง', 10], ['สำนักปลัด', 5]])
		for (const code of await issue(prev, n, unit))
			await submit(prev, code, answersFor(form, PATTERN[unit]));
	const cmp = await api(`/rounds/${round}/compare?with=${prev}`);
	assert.equal(cmp.status, 200, cmp.text);
	const cu = Object.fromEntries(cmp.json.units.map((u) => [u.name, u]));
	assert.deepEqual(cu['กองคลัง'].a, null);
	assert.equal(cu['กองคลัง'].b.respondents, 10);
	assert.deepEqual(cu['กองช่าง'], { name: 'กองช่าง', a: null, b: null, change: null });
	assert.equal(cu['สำนักปลัด'].a.respondents, 5);
	assert.equal(cu['สำนักปลัด'].change, 0);
	const ccsv = parseCsv((await exp('compare&with=' + prev, 'csv')).text.replace(/^\uFEFF/, ''));
	const crow = ccsv.find((x) => x[0] === 'unit' && x[2] === 'กองคลัง');
	assert.deepEqual([crow[4], crow[10]], ['', ''], 'no figure of round A for a hidden unit');
	const cx = unzip((await exp('compare&with=' + prev, 'xlsx')).buf);
	assert.ok([...cx.keys()].some((k) => /^xl\/worksheets\/sheet3\.xml$/.test(k)), 'a units sheet');
	const numbers = [0, doc.respondents, scoresDoc.respondents, scoresDoc.scored,
	    ...doc.units.filter((u) => u.shown).map((u) => u.respondents),
	    ...cmp.json.units.map((u) => u.a?.respondents).filter((n) => n !== undefined),
	    ...cmp.json.rounds.filter((r) => r.id === round).map((r) => r.scored)];
	for (const x of vectors)
		for (const y of vectors)
			for (const h of hidden)
				assert.notDeepEqual(x.map((v, i) => v - y[i]), h);
	for (const x of numbers)
		for (const y of numbers)
			assert.ok(![3, 7].includes(x - y), `${x} - ${y}`);
});

test('codes and kiosks with a unit: API, audit, bounds; responses without a unit are a hidden group', async () => {
	const round = await createRound(srv, IIT, { title: 'ผสม' });
	const r = await request(`${srv.url}/api/v1/admin/rounds/${round}/tokens`, { method: 'POST',
	    body: { count: 2, unit: '  กองคลัง ' }, headers: admin.headers });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.unit, 'กองคลัง');
	assert.equal(r.json.tokens.length, 2);
	for (const unit of ['', 'x'.repeat(121), 'a\u0001b'])
		if (unit !== '')
			assertError(assert, await request(`${srv.url}/api/v1/admin/rounds/${round}/tokens`,
			    { method: 'POST', body: { count: 1, unit }, headers: admin.headers }), 422, 'bad_unit');
	assertError(assert, await request(`${srv.url}/api/v1/admin/rounds/${round}/tokens`,
	    { method: 'POST', body: { count: 1, unit: 5 }, headers: admin.headers }), 400, 'bad_request');
	const [{ n }] = await sql(srv.db, `SELECT count(*) AS n FROM tokens WHERE round_id = ${round}`);
	assert.equal(n, 2, 'a refused request issued nothing');
	const audit = await sql(srv.db, `SELECT action, params FROM audit_log WHERE action LIKE 'tokens.issue%' ORDER BY id DESC LIMIT 1`);
	assert.equal(audit[0].action, 'tokens.issue.unit');
	assert.equal(JSON.parse(audit[0].params).unit, 'กองคลัง');
	const names = await api('/units');
	assert.ok(names.json.units.includes('กองคลัง'));

	// Plain codes too: the round may hold responses without a unit.
	await issue(round, 1);
	const doc = (await api(`/rounds/${round}/units`)).json;
	assert.equal(doc.unassigned, true);
	assert.deepEqual(doc.units, [{ name: 'กองคลัง', shown: false }]);
	const cli = await srv.cli(['tokens', 'issue', '--round', String(round), '--count', '1', '--unit', '']);
	assert.equal(cli.code, 2, 'an empty unit is bad usage');

	// Kiosks of an EIT round carry a unit to their responses.
	const eit = await createRound(srv, EIT, { title: 'จุดบริการ' });
	const k = await request(`${srv.url}/api/v1/admin/rounds/${eit}/kiosks`, { method: 'POST',
	    body: { name: 'เคาน์เตอร์ 1', unit: 'กองช่าง' }, headers: admin.headers });
	assert.equal(k.status, 201, k.text);
	assert.equal(k.json.kiosk.unit, 'กองช่าง');
	const key2 = (await srv.cli(['kiosk', 'add', '--round', String(eit), '--name', 'เคาน์เตอร์ 2',
	    '--unit', 'กองช่าง'])).stdout.trim();
	const form = await getForm(srv, eit);
	for (let i = 0; i < 5; i++) {
		const s = await post(`${srv.url}/api/v1/rounds/${eit}/responses`,
		    { submission_id: uuid(), answers: answersFor(form, 3) },
		    { authorization: `Kiosk ${i % 2 ? key2 : k.json.key}` });
		assert.equal(s.status, 201, s.text);
	}
	const e = (await api(`/rounds/${eit}/units`)).json;
	assert.equal(e.unassigned, false);
	// One unit only, shown alone it would be the round itself: still
	// shown, since nothing is hidden that it could reveal.
	assert.deepEqual(e.units.map((u) => [u.name, u.shown, u.respondents]), [['กองช่าง', true, 5]]);
	const list = (await api(`/rounds/${eit}/kiosks`)).json.kiosks;
	assert.deepEqual(list.map((x) => x.unit), ['กองช่าง', 'กองช่าง']);

	// A round never opened can still be deleted with its units' codes and
	// kiosks; the units themselves stay for other rounds.
	const fresh = await createRound(srv, IIT, { title: 'ยังไม่เปิด', open: false });
	await issue(fresh, 1, 'กองคลัง');
	const freshE = await createRound(srv, EIT, { title: 'ยังไม่เปิด', open: false });
	assert.equal((await srv.cli(['kiosk', 'add', '--round', String(freshE), '--name', 'k',
	    '--unit', 'ห้องสมุด'])).code, 0);
	for (const id of [fresh, freshE]) {
		const d = await srv.cli(['round', 'delete', String(id)]);
		assert.equal(d.code, 0, d.stderr);
	}
	assert.deepEqual(await sql(srv.db, `SELECT * FROM unit_rounds WHERE round_id IN (${fresh}, ${freshE})`), []);
	assert.ok((await api('/units')).json.units.includes('ห้องสมุด'));
});
