// SPDX-License-Identifier: ISC
// The working group's measures (measures.c, api_measures.c,
// cmd_measures.c): added, read, changed in part and deleted by admins
// with the CSRF header, each audited; every rule refused with 422
// bad_measure naming the field, and nothing changed; viewers read only;
// the year's list by state with its counts and the overdue mark; the CSV
// download (BOM, Thai titles, no cell starts a formula); the command line.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminLogin, request, get, createRound, sql, assertError } from '../lib/server.mjs';
import { parseCsv } from '../lib/xlsx.mjs';

let srv, alice, victor, round;
const YEAR = 2569;
const base = () => `${srv.url}/api/v1/admin/measures`;
const send = (method, p, body, headers = alice.headers) => request(`${base()}${p}`, { method, body, headers });
const rows = async () => sql(srv.db, 'SELECT * FROM measures ORDER BY id');
const auditOf = async (action) => (await get(`${srv.url}/api/v1/admin/audit?action=${action}`,
    alice.headers)).json.audit;

// 422 bad_measure: the envelope, with "fields" inside "error" and beside it.
function assertBad(r, field, what) {
	const ctx = `${what} -> ${r.status} ${r.text.slice(0, 300)}`;
	assert.equal(r.status, 422, ctx);
	assert.equal(r.json.error.code, 'bad_measure', ctx);
	assert.equal(typeof r.json.error.message, 'string', ctx);
	assert.deepEqual(r.json.fields, r.json.error.fields, ctx);
	assert.equal(typeof r.json.fields[field], 'string', ctx);
}

const good = (over = {}) => ({ fiscal_year: YEAR, target: 'i9', what: 'อบรมเรื่องการใช้ทรัพย์สินของราชการ',
    who: 'กองการเจ้าหน้าที่', due: '2026-09-30', ...over });

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv, 'alice');
	victor = await adminLogin(srv, 'victor', { role: 'viewer' });
	round = await createRound(srv, 'ita-2563-iit', { open: false });
	const r = await srv.cli(['settings', 'set', 'agency', 'กรมทดสอบ']);
	assert.equal(r.code, 0, r.stderr);
});

after(async () => {
	await srv?.stop();
});

test('add, read, change in part, delete: each audited', async () => {
	let r = await send('POST', '', good({ round, how: 'ขั้นที่ 1\nขั้นที่ 2' }));
	assert.equal(r.status, 201, r.text);
	const m = r.json;
	assert.equal(m.target, 'i9');
	assert.equal(m.target_kind, 'item');
	assert.equal(m.indicator.code, '2');
	assert.equal(typeof m.target_name.th, 'string');
	assert.equal(m.round, round);
	assert.equal(m.status, 'planned');
	assert.equal(m.how, 'ขั้นที่ 1\nขั้นที่ 2');
	assert.equal(m.created_by, 'alice');
	assert.equal(m.overdue, true, 'due 2026-09-30 has passed and it is only planned');

	r = await get(`${base()}/${m.id}`, victor.headers);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, m);

	r = await send('PATCH', `/${m.id}`, { status: 'done', progress: 'อบรมแล้ว 2 รุ่น',
	    evidence: 'https://agency.example/o43.pdf' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.status, 'done');
	assert.equal(r.json.overdue, false, 'a done measure is never overdue');
	for (const k of ['what', 'who', 'due', 'how', 'target', 'round', 'fiscal_year', 'created_at'])
		assert.deepEqual(r.json[k], m[k], `${k} untouched by a partial PATCH`);
	r = await send('PATCH', `/${m.id}`, { round: null });
	assert.equal(r.json.round, null, 'round: null unlinks it');

	r = await send('DELETE', `/${m.id}`);
	assert.deepEqual(r.json, { status: 'deleted', id: m.id });
	assertError(assert, await get(`${base()}/${m.id}`, alice.headers), 404, 'not_found');
	assertError(assert, await send('DELETE', `/${m.id}`), 404, 'not_found');
	assertError(assert, await send('PATCH', `/${m.id}`, { status: 'done' }), 404, 'not_found');

	const [add] = await auditOf('measure.add');
	assert.equal(add.user, 'alice');
	assert.match(add.text.en, /added measure \d+ for i9/);
	assert.match(add.text.th, /เพิ่มมาตรการ/);
	const changes = await auditOf('measure.change');
	assert.equal(changes.length, 2);
	assert.match(changes.at(-1).text.th, /ดำเนินการแล้ว/, 'the status told in Thai');
	const [del] = await auditOf('measure.delete');
	assert.match(del.text.en, /deleted measure/);
});

test('every rule: 422 bad_measure naming the field; nothing stored or changed', async () => {
	const cases = [
		[{ target: 'x9' }, 'target'], [{ target: 'i99' }, 'target'], [{ target: '11' }, 'target'],
		[{ due: '2570-02-30' }, 'due'], [{ due: '2027-02-29' }, 'due'], [{ due: '2570-01-15' }, 'due'],
		[{ due: '30/09/2026' }, 'due'], [{ what: 'ก'.repeat(667) + 'x' }, 'what'],
		[{ what: 'line\nbreak' }, 'what'], [{ how: 'x'.repeat(4001) }, 'how'],
		[{ who: '' }, 'who'], [{ evidence: 'e'.repeat(2001) }, 'evidence'],
		[{ status: 'finished' }, 'status'], [{ fiscal_year: 2800 }, 'fiscal_year'],
		[{ round: 999 }, 'round'], [{ round: 'one' }, 'round'], [{ colour: 'red' }, 'colour'],
		[{ what: 7 }, 'what'],
	];
	for (const [over, field] of cases)
		assertBad(await send('POST', '', good(over)), field, JSON.stringify(over).slice(0, 60));
	const missing = await send('POST', '', { target: 'i9' });
	for (const f of ['what', 'who', 'due'])
		assertBad(missing, f, 'missing fields');
	assert.deepEqual(await rows(), [], 'nothing stored');

	const r = await send('POST', '', good());
	assert.equal(r.status, 201, r.text);
	const before = await rows();
	for (const [over, field] of cases.filter(([o]) => !('round' in o && o.round === 999)))
		assertBad(await send('PATCH', `/${r.json.id}`, over), field, `PATCH ${JSON.stringify(over).slice(0, 60)}`);
	assertBad(await send('PATCH', `/${r.json.id}`, { round: 999 }), 'round', 'PATCH round 999');
	assertBad(await send('PATCH', `/${r.json.id}`, {}), 'measure', 'empty PATCH');
	assert.deepEqual(await rows(), before, 'nothing changed');
	await send('DELETE', `/${r.json.id}`);
});

test('viewers read but may not write; writes need the CSRF header', async () => {
	const r = await send('POST', '', good());
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	assert.equal((await get(`${base()}?year=${YEAR}`, victor.headers)).status, 200);
	assertError(assert, await send('POST', '', good(), victor.headers), 403, 'forbidden');
	assertError(assert, await send('PATCH', `/${id}`, { status: 'done' }, victor.headers), 403, 'forbidden');
	assertError(assert, await send('DELETE', `/${id}`, undefined, victor.headers), 403, 'forbidden');
	const noCsrf = { cookie: alice.headers.cookie };
	assertError(assert, await send('POST', '', good(), noCsrf), 403, 'csrf');
	assertError(assert, await send('PATCH', `/${id}`, { status: 'done' }, noCsrf), 403, 'csrf');
	assertError(assert, await send('DELETE', `/${id}`, undefined, noCsrf), 403, 'csrf');
	assertError(assert, await get(`${base()}?year=${YEAR}`, {}), 401, 'unauthorized');
	const [row] = await rows();
	assert.equal(row.status, 'planned', 'unchanged');
	assert.equal((await rows()).length, 1);
	await send('DELETE', `/${id}`);
});

test('the list by state: counts, order by target then due, overdue; status filter; bad query', async () => {
	const made = [];
	for (const m of [
		{ target: 'o42', due: '2026-06-30', status: 'doing' },
		{ target: 'i10', due: '2026-03-31' },
		{ target: 'i9', due: '2099-12-31', status: 'doing' },
		{ target: 'i9', due: '2026-01-31', status: 'done' },
		{ target: '3', due: '2099-01-01', status: 'dropped' },
		{ target: 'e2', due: '2099-01-01' },
	]) {
		const r = await send('POST', '', good(m));
		assert.equal(r.status, 201, r.text);
		made.push(r.json);
	}
	await send('POST', '', good({ fiscal_year: YEAR + 1, target: 'i1' }));
	let r = await get(`${base()}?year=${YEAR}`, victor.headers);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.year, YEAR);
	assert.equal(r.json.agency, 'กรมทดสอบ');
	assert.deepEqual(r.json.counts, { planned: 2, doing: 2, done: 1, dropped: 1 });
	assert.deepEqual(r.json.measures.map((m) => `${m.target}@${m.due}`),
	    ['3@2099-01-01', 'i9@2026-01-31', 'i9@2099-12-31', 'i10@2026-03-31', 'e2@2099-01-01', 'o42@2026-06-30']);
	const by = Object.fromEntries(r.json.measures.map((m) => [`${m.target}@${m.due}`, m]));
	assert.equal(by['o42@2026-06-30'].overdue, true, 'doing, past due');
	assert.equal(by['i10@2026-03-31'].overdue, true, 'planned, past due');
	assert.equal(by['i9@2026-01-31'].overdue, false, 'done');
	assert.equal(by['e2@2099-01-01'].overdue, false, 'not yet due');
	assert.equal(by['3@2099-01-01'].target_kind, 'indicator');
	assert.equal(by['o42@2026-06-30'].indicator.code, '10');
	r = await get(`${base()}?year=${YEAR}&status=doing`, victor.headers);
	assert.deepEqual(r.json.measures.map((m) => m.target), ['i9', 'o42']);
	assert.deepEqual(r.json.counts, { planned: 2, doing: 2, done: 1, dropped: 1 }, 'counts of the whole year');
	for (const q of ['year=2499', 'year=abc', `year=${YEAR}&status=late`])
		assertError(assert, await get(`${base()}?${q}`, victor.headers), 400, 'bad_request', q);

	// The CSV download: BOM, Thai titles, the formula guard.
	await send('PATCH', `/${made[1].id}`, { what: '=HYPERLINK("http://evil.example")', who: '+1 งาน' });
	r = await get(`${base()}/export?year=${YEAR}&format=csv`, victor.headers);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition'), /measures-2569\.csv/);
	assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
	const csv = parseCsv(r.text.slice(1));
	assert.equal(csv[0][0], 'ลำดับ');
	assert.ok(csv[0].includes('มาตรการ') && csv[0].includes('ผู้รับผิดชอบ'));
	assert.equal(csv.filter((row) => row.length > 1).length, 7, 'titles and six measures');
	const cells = csv.flat();
	assert.ok(cells.includes('\'=HYPERLINK("http://evil.example")'), 'formula cell guarded');
	assert.ok(cells.includes('\'+1 งาน'));
	assert.ok(!cells.some((c) => /^[=+\-@]/.test(c)), 'no cell starts a formula');
	r = await get(`${base()}/export?year=${YEAR}&format=json`, victor.headers);
	assert.equal(JSON.parse(r.text).measures.length, 6);
	assertError(assert, await get(`${base()}/export?year=${YEAR}&format=xls`, victor.headers), 400, 'bad_request');
});

test('the command line: add, list, set, delete', async () => {
	let r = await srv.cli(['measures', 'add', '--target', 'o43', '--what', 'รายงานผล', '--who', 'ศูนย์ปฏิบัติการ',
	    '--due', '2099-09-30', '--year', '2571', '--round', String(round)]);
	assert.equal(r.code, 0, r.stderr);
	const id = Number(r.stdout.trim());
	assert.ok(id > 0);
	r = await srv.cli(['measures', 'add', '--target', 'o43', '--what', 'x', '--who', 'y', '--due', '2570-02-30']);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /due: /);
	r = await srv.cli(['measures', 'set', String(id), '--status', 'doing', '--progress', 'ครึ่งทาง']);
	assert.equal(r.code, 0, r.stderr);
	r = await srv.cli(['measures', 'list', '--year', '2571']);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stdout, `${id}\to43\tdoing\t2099-09-30\tศูนย์ปฏิบัติการ\tรายงานผล\n`);
	r = await srv.cli(['measures', 'list', '--year', '2571', '--json']);
	const doc = JSON.parse(r.stdout);
	assert.equal(doc.measures[0].progress, 'ครึ่งทาง');
	assert.equal(doc.measures[0].round, round);
	const line = (await auditOf('measure.change')).find((a) => a.user === 'cli');
	assert.ok(line, 'the change from the shell is audited');
	r = await srv.cli(['measures', 'delete', String(id)]);
	assert.equal(r.code, 0, r.stderr);
	r = await srv.cli(['measures', 'set', String(id), '--status', 'done']);
	assert.equal(r.code, 1);
	r = await srv.cli(['measures', '--help']);
	assert.equal(r.code, 0);
	assert.match(r.stdout, /measures add --target CODE/);
});
