// SPDX-License-Identifier: ISC
// POST /api/v1/rounds/{id}/responses: every row of the submission status
// table of API.md, the error envelope, token spelling, and that a refused
// submission changes nothing.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, closeRound, issueTokens, getForm, makeAnswers, respondents,
	post, get, request, uuid, assertError,
} from '../lib/server.mjs';

const IIT = 'ita-2563-iit';
const EIT = 'ita-2563-eit';

let srv, form;
let iit, other, eit, notOpened, closedLater;
let tokens, otherTokens;

// A fresh unused code of the main IIT round.
const fresh = () => tokens.shift();
const url = (round) => `${srv.url}/api/v1/rounds/${round}/responses`;
const submit = (round, body, headers) => post(url(round), body, headers);

before(async () => {
	srv = await startServer();
	iit = await createRound(srv, IIT, { population: 120 });
	other = await createRound(srv, IIT, { title: 'another IIT round' });
	eit = await createRound(srv, EIT);
	notOpened = await createRound(srv, IIT, { open: false });
	closedLater = await createRound(srv, IIT);
	tokens = await issueTokens(srv, iit, 40);
	otherTokens = await issueTokens(srv, other, 2);
	form = await getForm(srv, iit);
});

after(async () => {
	await srv?.stop();
});

function assertStatus(r, status, body, what = '') {
	assert.equal(r.status, status, `${what} -> ${r.status} ${r.text}`);
	assert.match(r.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/i);
	assert.deepEqual(r.json, body, what);
}

test('the form document holds what a respondent needs and no more', async () => {
	assert.equal(form.round, iit);
	assert.equal(form.form, IIT);
	assert.equal(form.audience, 'internal');
	assert.deepEqual(form.languages, ['th', 'en']);
	assert.deepEqual(Object.keys(form.scales).sort(), ['L4', 'YN']);
	assert.deepEqual(form.scales.L4.options.map((o) => o.value), ['1', '2', '3', '4']);
	assert.deepEqual(form.scales.YN.options.map((o) => o.value), ['yes', 'no']);
	const keys = new Set();
	(function walk(o, where) {
		if (Array.isArray(o))
			o.forEach((x) => walk(x, `${where}[]`));
		else if (o && typeof o === 'object')
			for (const [k, v] of Object.entries(o)) {
				keys.add(k);
				if (k !== 'title' && k !== 'name' && k !== 'text' && k !== 'label')
					walk(v, `${where}.${k}`);
			}
	})(form, '$');
	for (const k of ['points', 'reverse_points', 'reverse', 'weight', 'scoring', 'grades', 'min_cell', 'target'])
		assert.ok(!keys.has(k), `the form document has "${k}"`);
	const qs = form.indicators.flatMap((i) => i.items.flatMap((it) => it.questions));
	assert.equal(qs.length, 51);
	assert.equal(form.indicators.flatMap((i) => i.items).length, 30);
	for (const q of qs) {
		assert.deepEqual(Object.keys(q).sort(), ['code', 'required', 'scale', 'text'], q.code);
		assert.ok(q.text.th && q.text.en, q.code);
	}
});

describe('201 and 200', () => {
	test('201 accepted stores one response', async () => {
		const before = await respondents(srv, iit);
		const r = await submit(iit, { submission_id: uuid(), token: fresh(), answers: makeAnswers(form) });
		assertStatus(r, 201, { status: 'accepted' });
		assert.equal(await respondents(srv, iit), before + 1);
	});

	test('200 already_accepted: a replay counts nothing twice', async () => {
		const sid = uuid();
		const token = fresh();
		const body = { submission_id: sid, token, answers: makeAnswers(form) };
		assertStatus(await submit(iit, body), 201, { status: 'accepted' });
		const n = await respondents(srv, iit);
		for (let i = 0; i < 3; i++)
			assertStatus(await submit(iit, body), 200, { status: 'already_accepted' }, `replay ${i}`);
		// The same submission in upper case is the same UUID.
		assertStatus(await submit(iit, { ...body, submission_id: sid.toUpperCase() }), 200,
		    { status: 'already_accepted' }, 'upper-case replay');
		// A replay carrying another, unused code does not spend that code.
		const spare = fresh();
		assertStatus(await submit(iit, { ...body, token: spare }), 200,
		    { status: 'already_accepted' }, 'replay with another code');
		assert.equal(await respondents(srv, iit), n);
		assertStatus(await submit(iit, { submission_id: uuid(), token: spare, answers: makeAnswers(form) }),
		    201, { status: 'accepted' }, 'the other code is still unused');
	});

	test('codes are accepted in any case, with or without hyphens or spaces', async () => {
		const spell = [
			(t) => t,
			(t) => t.toLowerCase(),
			(t) => t.replaceAll('-', ''),
			(t) => t.replaceAll('-', '').toLowerCase(),
			(t) => t.replaceAll('-', ' '),
			(t) => ` ${t.slice(0, 2)} ${t.slice(2).toLowerCase()} `,
		];
		for (const [i, f] of spell.entries()) {
			const t = fresh();
			const r = await submit(iit, { submission_id: uuid(), token: f(t), answers: makeAnswers(form) });
			assertStatus(r, 201, { status: 'accepted' }, `spelling ${i}: ${JSON.stringify(f(t))}`);
		}
	});
});

describe('400', () => {
	test('bad_json: not JSON, trailing garbage, duplicate keys, empty body', async () => {
		const n = await respondents(srv, iit);
		const good = JSON.stringify({ submission_id: uuid(), token: tokens[0], answers: makeAnswers(form) });
		const bodies = {
			'not JSON': 'hello',
			'trailing garbage': `${good} x`,
			'two documents': `${good}${good}`,
			'duplicate top-level keys': good.replace('{', `{"submission_id":"${uuid()}",`),
			'duplicate answer keys': good.replace('"answers":{', '"answers":{"i1a":"1",'),
			'empty body': '',
			'truncated': good.slice(0, -1),
			'nested 60000 deep': '['.repeat(60000),
			'invalid UTF-8': Buffer.concat([Buffer.from('{"submission_id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
		};
		for (const [what, body] of Object.entries(bodies))
			assertError(assert, await submit(iit, body), 400, 'bad_json', what);
		assert.equal(await respondents(srv, iit), n);
	});

	test('bad_request: fields of the wrong type', async () => {
		const n = await respondents(srv, iit);
		const a = makeAnswers(form);
		const t = tokens[0];
		const bodies = {
			'a JSON array': [],
			'a JSON array of an object': [{ submission_id: uuid(), token: t, answers: a }],
			'answers an array': { submission_id: uuid(), token: t, answers: [] },
			'answers a string': { submission_id: uuid(), token: t, answers: 'i1a=1' },
			'answers missing': { submission_id: uuid(), token: t },
			'submission_id missing': { token: t, answers: a },
			'submission_id not a UUID': { submission_id: 'not-a-uuid', token: t, answers: a },
			'submission_id a UUID without hyphens': { submission_id: uuid().replaceAll('-', ''), token: t, answers: a },
			'submission_id a number': { submission_id: 12345, token: t, answers: a },
			'submission_id null': { submission_id: null, token: t, answers: a },
			'token a number on an internal round': { submission_id: uuid(), token: 1234567890123456, answers: a },
			'token an object': { submission_id: uuid(), token: { code: t }, answers: a },
		};
		for (const [what, body] of Object.entries(bodies))
			assertError(assert, await submit(iit, JSON.stringify(body)), 400, 'bad_request', what);
		assert.equal(await respondents(srv, iit), n);
		// None of that spent the code used above.
		assertStatus(await submit(iit, { submission_id: uuid(), token: fresh(), answers: a }), 201,
		    { status: 'accepted' });
	});
	test('bad_request: a JSON scalar is JSON of the wrong type, as an array is', async () => {
		for (const body of ['"x"', '7', 'true', 'null'])
			assertError(assert, await submit(iit, body), 400, 'bad_request', body);
	});

	test('an answer holding a NUL is refused and stores nothing', async () => {
		const n = await respondents(srv, iit);
		const r = await submit(iit, { submission_id: uuid(), token: tokens[0],
		    answers: { ...makeAnswers(form), i3b: '1\u0000x' } });
		assert.ok(r.status === 400 || r.status === 422, r.text);
		assert.equal(await respondents(srv, iit), n);
	});
});

describe('403, 409', () => {
	test('403 forbidden: code missing, unknown, malformed, or of another round', async () => {
		const n = await respondents(srv, iit);
		const a = makeAnswers(form);
		const bodies = {
			'no token': { submission_id: uuid(), answers: a },
			'token null': { submission_id: uuid(), token: null, answers: a },
			'token empty': { submission_id: uuid(), token: '', answers: a },
			'unknown code': { submission_id: uuid(), token: '7QF9-MZD2-XWAP-4HTK', answers: a },
			'malformed code': { submission_id: uuid(), token: 'abc', answers: a },
			'code with a U': { submission_id: uuid(), token: 'UUUU-MZD2-XWAP-4HTK', answers: a },
			'code of another round': { submission_id: uuid(), token: otherTokens[0], answers: a },
		};
		// Five of these count as wrong codes: under the limit of ten.
		for (const [what, body] of Object.entries(bodies))
			assertError(assert, await submit(iit, body), 403, 'forbidden', what);
		assert.equal(await respondents(srv, iit), n);
		// The other round's code still works there.
		const oform = await getForm(srv, other);
		assertStatus(await submit(other, { submission_id: uuid(), token: otherTokens[0],
		    answers: makeAnswers(oform) }), 201, { status: 'accepted' });
	});

	test('403 forbidden: an external round without its kiosk key', async () => {
		const eform = await getForm(srv, eit);
		const a = makeAnswers(eform);
		assertError(assert, await submit(eit, { submission_id: uuid(), answers: a }), 403, 'forbidden',
		    'no key, not public');
		assertError(assert, await submit(eit, { submission_id: uuid(), answers: a },
		    { authorization: 'Kiosk 7QF9-MZD2-XWAP-4HTK-7QF9-MZD2-XWAP-4HTK' }), 403, 'forbidden', 'unknown key');
		assertError(assert, await submit(eit, { submission_id: uuid(), answers: a },
		    { authorization: 'Kiosk nonsense' }), 403, 'forbidden', 'malformed key');
		assertError(assert, await submit(eit, { submission_id: uuid(), answers: a },
		    { authorization: 'Bearer 7QF9-MZD2-XWAP-4HTK-7QF9-MZD2-XWAP-4HTK' }), 403, 'forbidden', 'other scheme');
		assert.equal(await respondents(srv, eit), 0);
	});

	test('409 token_used: a code reused by another submission', async () => {
		const t = fresh();
		assertStatus(await submit(iit, { submission_id: uuid(), token: t, answers: makeAnswers(form) }), 201,
		    { status: 'accepted' });
		const n = await respondents(srv, iit);
		for (const spelling of [t, t.toLowerCase(), t.replaceAll('-', '')])
			assertError(assert, await submit(iit, { submission_id: uuid(), token: spelling,
			    answers: makeAnswers(form, (q, v) => v[1]) }), 409, 'token_used', spelling);
		assert.equal(await respondents(srv, iit), n);
	});
});

describe('404, 410', () => {
	test('404 not_found: unknown round, and ids that are no ids', async () => {
		const body = { submission_id: uuid(), token: tokens[0], answers: makeAnswers(form) };
		for (const id of ['999999', '0', '00', '01', '-1', '99999999999999999999', '9223372036854775808',
		    'abc', '1x', '1.0', '1%20'])
			assertError(assert, await submit(id, body), 404, 'not_found', `POST round ${id}`);
		for (const id of ['999999', '0', '99999999999999999999', 'abc'])
			assertError(assert, await get(`${srv.url}/api/v1/rounds/${id}/form`), 404, 'not_found',
			    `GET form of round ${id}`);
	});

	test('410 round_closed: created but not opened, or closed after opening', async () => {
		const toks = await issueTokens(srv, notOpened, 1);
		assertError(assert, await submit(notOpened, { submission_id: uuid(), token: toks[0],
		    answers: makeAnswers(form) }), 410, 'round_closed', 'never opened');
		assertError(assert, await get(`${srv.url}/api/v1/rounds/${notOpened}/form`), 410, 'round_closed',
		    'form of a round never opened');

		const [t1, t2] = await issueTokens(srv, closedLater, 2);
		assertStatus(await submit(closedLater, { submission_id: uuid(), token: t1, answers: makeAnswers(form) }),
		    201, { status: 'accepted' });
		await closeRound(srv, closedLater);
		assertError(assert, await submit(closedLater, { submission_id: uuid(), token: t2,
		    answers: makeAnswers(form) }), 410, 'round_closed', 'closed after open');
		assertError(assert, await get(`${srv.url}/api/v1/rounds/${closedLater}/form`), 410, 'round_closed',
		    'form of a closed round');
		assert.equal(await respondents(srv, closedLater), 1);
	});

	test('a replay is recognised even after its round closed', async () => {
		const id = await createRound(srv, IIT);
		const [t] = await issueTokens(srv, id, 1);
		const body = { submission_id: uuid(), token: t, answers: makeAnswers(form) };
		assertStatus(await submit(id, body), 201, { status: 'accepted' });
		await closeRound(srv, id);
		assertStatus(await submit(id, body), 200, { status: 'already_accepted' }, 'replay on a closed round');
		assert.equal(await respondents(srv, id), 1);
	});
});

describe('422', () => {
	test('invalid_answers names each bad field; nothing changes; the code stays usable', async () => {
		const t = fresh();
		const n = await respondents(srv, iit);
		const good = makeAnswers(form);
		const cases = [
			['missing required', (() => { const a = { ...good }; delete a.i1a; delete a.i30d; return a; })(),
			    ['i1a', 'i30d']],
			['unknown question', { ...good, zz9: '1' }, ['zz9']],
			['value not an option (L4)', { ...good, i2: '5' }, ['i2']],
			['value not an option (YN)', { ...good, i4a: 'maybe' }, ['i4a']],
			['L4 value of a YN question', { ...good, i4b: '1' }, ['i4b']],
			['non-string value', { ...good, i1b: 4 }, ['i1b']],
			['null value', { ...good, i3a: null }, ['i3a']],
			['empty answers', {}, Object.keys(good)],
			['several at once', (() => { const a = { ...good, i2: 'x', extra: 'y' }; delete a.i7; return a; })(),
			    ['i2', 'extra', 'i7']],
		];
		for (const [what, answers, bad] of cases) {
			const r = await submit(iit, { submission_id: uuid(), token: t, answers });
			assert.equal(r.status, 422, `${what}: ${r.text}`);
			assert.match(r.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/i);
			assert.equal(r.json?.error?.code, 'invalid_answers', what);
			assert.equal(typeof r.json.error.message, 'string', what);
			// Where "fields" sits is checked by the next test.
			const fields = r.json.error.fields ?? r.json.fields;
			assert.equal(typeof fields, 'object', what);
			assert.deepEqual(Object.keys(fields).sort(), [...bad].sort(), `${what}: ${JSON.stringify(fields)}`);
			for (const v of Object.values(fields))
				assert.ok(typeof v === 'string' && v.length > 0, what);
		}
		assert.equal(await respondents(srv, iit), n);
		assertStatus(await submit(iit, { submission_id: uuid(), token: t, answers: good }), 201,
		    { status: 'accepted' }, 'the code after the 422s');
		assert.equal(await respondents(srv, iit), n + 1);
	});
	test('422 envelope: {"error": {"code", "message", "fields"}}, fields also at the top level', async () => {
		const a = makeAnswers(form);
		delete a.i1a;
		const r = await submit(iit, { submission_id: uuid(), token: tokens[0], answers: a });
		assertError(assert, r, 422, 'invalid_answers', 'missing i1a');
		assert.deepEqual(r.json.error.fields, { i1a: r.json.error.fields.i1a });
	});
});

describe('races', () => {
	test('one code sent by eight submissions at once: one 201, seven 409', async () => {
		const n = await respondents(srv, iit);
		const t = fresh();
		const rs = await Promise.all([...Array(8)].map(() =>
		    submit(iit, { submission_id: uuid(), token: t, answers: makeAnswers(form) })));
		const statuses = rs.map((r) => r.status).sort();
		assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], rs.map((r) => r.text).join('\n'));
		assert.equal(await respondents(srv, iit), n + 1);
	});

	test('one submission sent eight times at once: one 201, seven 200', async () => {
		const n = await respondents(srv, iit);
		const body = { submission_id: uuid(), token: fresh(), answers: makeAnswers(form) };
		const rs = await Promise.all([...Array(8)].map(() => submit(iit, body)));
		assert.deepEqual(rs.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
		assert.equal(await respondents(srv, iit), n + 1);
	});
});

describe('POST /api/v1/rounds/{id}/tokens/check', () => {
	const check = (round, body) => post(`${srv.url}/api/v1/rounds/${round}/tokens/check`, body);

	test('valid, used, unknown, closed, external; nothing is spent', async () => {
		const t = tokens[0];
		for (const spelling of [t, t.toLowerCase().replaceAll('-', '')]) {
			const r = await check(iit, { token: spelling });
			assertStatus(r, 200, { status: 'valid' }, spelling);
		}
		const used = fresh();
		assertStatus(await submit(iit, { submission_id: uuid(), token: used, answers: makeAnswers(form) }), 201,
		    { status: 'accepted' });
		assertError(assert, await check(iit, { token: used }), 409, 'token_used', 'used code');
		assertError(assert, await check(iit, { token: '7QF9-MZD2-XWAP-4HT0' }), 403, 'forbidden', 'unknown code');
		assertError(assert, await check(iit, {}), 400, 'bad_request', 'no token');
		assertError(assert, await check(iit, 'x'), 400, 'bad_json', 'not JSON');
		assertError(assert, await check(999999, { token: t }), 404, 'not_found', 'unknown round');
		assertError(assert, await check(notOpened, { token: t }), 410, 'round_closed', 'round not open');
		assertError(assert, await check(eit, { token: t }), 400, 'bad_request', 'external round');
		// The checked code is still unused.
		assertStatus(await submit(iit, { submission_id: uuid(), token: fresh(), answers: makeAnswers(form) }), 201,
		    { status: 'accepted' });
	});
});

describe('413', () => {
	test('a body over 64 KiB gets 413; 64 KiB exactly is read', async () => {
		const n = await respondents(srv, iit);
		const body = JSON.stringify({ submission_id: uuid(), token: fresh(), answers: makeAnswers(form) });
		const exact = body + ' '.repeat(65536 - Buffer.byteLength(body));
		assert.equal(Buffer.byteLength(exact), 65536);
		assertError(assert, await submit(iit, `${exact} `), 413, 'payload_too_large', '65537 bytes');
		assertError(assert, await submit(iit, `${exact}${' '.repeat(200000)}`), 413, 'payload_too_large',
		    '265536 bytes');
		assert.equal(await respondents(srv, iit), n);
		assertStatus(await submit(iit, exact), 201, { status: 'accepted' }, '65536 bytes');
	});
});

describe('429', () => {
	let srv2;
	after(async () => {
		await srv2?.stop();
	});

	test('rate_limited with Retry-After after ten wrong codes from one address; valid codes still work', async () => {
		// Its own server: the address stays tainted for ten minutes.
		srv2 = await startServer();
		const round = await createRound(srv2, IIT);
		const [first, good, third] = await issueTokens(srv2, round, 3);
		const f = await getForm(srv2, round);
		const u = `${srv2.url}/api/v1/rounds/${round}/responses`;
		const stored = { submission_id: uuid(), token: first, answers: makeAnswers(f) };
		assert.equal((await post(u, stored)).status, 201);
		for (let i = 0; i < 10; i++) {
			const token = i % 2 ? 'not a code' : `${'7QF9-MZD2-XWAP-'}${'0123456789ABCDEF'[i]}HTK`;
			assertError(assert, await post(u, { submission_id: uuid(), token, answers: makeAnswers(f) }), 403,
			    'forbidden', `wrong code ${i + 1}`);
		}
		for (const [what, token] of [['11th wrong code', '7QF9-MZD2-XWAP-4HTK'], ['a malformed one', 'nope']]) {
			const r = await post(u, { submission_id: uuid(), token, answers: makeAnswers(f) });
			assertError(assert, r, 429, 'rate_limited', what);
			const ra = r.headers.get('retry-after');
			assert.match(ra ?? '', /^[1-9][0-9]*$/, `${what}: Retry-After ${ra}`);
			assert.ok(Number(ra) <= 600, `${what}: Retry-After ${ra}`);
		}
		assertError(assert, await post(`${srv2.url}/api/v1/rounds/${round}/tokens/check`, { token: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' }),
		    429, 'rate_limited', 'a wrong code at tokens/check from the same address');
		// A colleague behind the same address with a valid code is not stopped.
		const c = await post(`${srv2.url}/api/v1/rounds/${round}/tokens/check`, { token: good });
		assert.equal(c.status, 200, `tokens/check of a valid code: ${c.text}`);
		let r = await post(u, { submission_id: uuid(), token: good, answers: makeAnswers(f) });
		assert.equal(r.status, 201, `a valid code from the over-limit address: ${r.text}`);
		r = await post(u, { submission_id: uuid(), token: third.toLowerCase().replaceAll('-', ' '), answers: makeAnswers(f) });
		assert.equal(r.status, 201, `another valid code, in any spelling: ${r.text}`);
		// A used code is told as used, not as a wrong guess.
		assertError(assert, await post(u, { submission_id: uuid(), token: good, answers: makeAnswers(f) }), 409,
		    'token_used', 'a used code');
		// A replay of a stored submission is still recognised.
		r = await post(u, stored);
		assert.equal(r.status, 200, r.text);
		assert.equal(await respondents(srv2, round), 3);
	});
});

test('every reply of the API is JSON with Cache-Control: no-store', async () => {
	const r = await request(url(iit), { method: 'POST', body: '{' });
	assert.equal(r.headers.get('cache-control'), 'no-store');
});
