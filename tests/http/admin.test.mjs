// SPDX-License-Identifier: ISC
// The admin API: every admin route of server/routes.c refuses a request
// without a session (401) and a state change without the right CSRF header
// (403); viewers only read; login, lock-out, logout; rounds, codes and the
// audit log through the API; unknown routes and wrong methods.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	ROOT, PASSWORD, TOKEN_RE, startServer, createRound, getForm, makeAnswers, adminLogin, sessionCookie,
	request, post, get, uuid, assertError,
} from '../lib/server.mjs';

// The route table, read from the source so that a new admin route is
// covered as soon as it is added.
const ROUTES = [...fs.readFileSync(path.join(ROOT, 'server', 'routes.c'), 'utf8')
    .matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*(AUTH_\w+),\s*([01])\s*(?:,\s*\w+\s*)?\}/g)]
    .map(([, method, pattern, fn, auth, body]) => ({ method, pattern, fn, auth, body: body === '1' }));
const ADMIN_ROUTES = ROUTES.filter((r) => r.auth !== 'AUTH_NONE');

let srv, alice, bob, round;

// "#" is an id, "*" a word (an OIT item's code).
const at = (r, id = round ?? 1) => `${srv.url}${r.pattern.replaceAll('#', String(id)).replaceAll('*', 'o1')}`;
const send = (r, headers, body) => request(at(r), { method: r.method, headers,
    body: r.body ? (body ?? {}) : undefined });

before(async () => {
	srv = await startServer();
	round = await createRound(srv, 'ita-2563-iit', { open: false });
	alice = await adminLogin(srv, 'alice');
	bob = await adminLogin(srv, 'bob', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

test('routes.c lists the admin routes of API.md', () => {
	const names = ADMIN_ROUTES.map((r) => `${r.method} ${r.pattern}`);
	for (const want of ['POST /api/v1/admin/logout', 'GET /api/v1/admin/rounds', 'GET /api/v1/admin/rounds/#/scores',
	    'GET /api/v1/admin/rounds/#/export'])
		assert.ok(names.includes(want), want);
	assert.ok(ADMIN_ROUTES.every((r) => r.pattern.startsWith('/api/v1/admin/')));
});

describe('401 without a session', () => {
	for (const r of ADMIN_ROUTES) {
		test(`${r.method} ${r.pattern}`, async () => {
			assertError(assert, await send(r, {}), 401, 'unauthorized', 'no cookie');
			for (const cookie of ['ita_session=garbage', 'ita_session=', 'ita_session=0000-0000-0000-0000-0000-0000-0000-0000',
			    `other=${alice.cookie}`, `ita_session=${alice.csrf}`])
				assertError(assert, await send(r, { cookie, 'x-csrf-token': alice.csrf }), 401, 'unauthorized', cookie);
		});
	}
});

describe('403 csrf on every state change without the right X-CSRF-Token', () => {
	for (const r of ADMIN_ROUTES.filter((x) => x.method !== 'GET')) {
		test(`${r.method} ${r.pattern}`, async () => {
			const cookie = `ita_session=${alice.cookie}`;
			for (const [what, h] of [['no header', {}], ['empty', { 'x-csrf-token': '' }],
			    ['garbage', { 'x-csrf-token': 'garbage' }], ['the cookie itself', { 'x-csrf-token': alice.cookie }],
			    ["another session's token", { 'x-csrf-token': bob.csrf }]])
				assertError(assert, await send(r, { cookie, ...h }), 403, 'csrf', what);
		});
	}
	test('nothing changed: the round is still closed', async () => {
		const r = await get(`${srv.url}/api/v1/admin/rounds/${round}`, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.state, 'closed');
		assert.equal(r.json.tokens_issued, 0);
	});
});

describe('a viewer reads but changes nothing', () => {
	for (const r of ADMIN_ROUTES.filter((x) => x.auth === 'AUTH_ADMIN')) {
		test(`${r.method} ${r.pattern}: 403 forbidden`, async () => {
			assertError(assert, await send(r, bob.headers, r.pattern.endsWith('/tokens') ? { count: 1 } : undefined),
			    403, 'forbidden', 'viewer');
		});
	}
	test('GET rounds, scores, export: 200', async () => {
		for (const p of ['/api/v1/admin/rounds', `/api/v1/admin/rounds/${round}`, `/api/v1/admin/rounds/${round}/scores`,
		    `/api/v1/admin/rounds/${round}/export?what=scores&format=csv`, '/api/v1/admin/me']) {
			const r = await get(`${srv.url}${p}`, bob.headers);
			assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 200)}`);
		}
		const me = await get(`${srv.url}/api/v1/admin/me`, bob.headers);
		assert.equal(me.json.username, 'bob');
		assert.equal(me.json.role, 'viewer');
	});
});

describe('login and logout', () => {
	test('the session cookie is HttpOnly and SameSite=Strict; the reply has a csrf_token', async () => {
		const r = await post(`${srv.url}/api/v1/admin/login`, { username: 'alice', password: PASSWORD });
		assert.equal(r.status, 200, r.text);
		const sc = r.headers.getSetCookie().find((c) => c.startsWith('ita_session='));
		assert.match(sc, /; HttpOnly/i);
		assert.match(sc, /; SameSite=Strict/i);
		assert.match(sc, /; Path=\//);
		assert.equal(typeof r.json.csrf_token, 'string');
		assert.ok(!sc.includes(r.json.csrf_token));
		// The new session is independent of the first.
		const cookie = sessionCookie(r.headers);
		assert.notEqual(cookie, alice.cookie);
		const me = await get(`${srv.url}/api/v1/admin/me`, { cookie: `ita_session=${cookie}` });
		assert.equal(me.status, 200, me.text);
		assert.equal(me.json.role, 'admin');
	});

	test('wrong password, unknown user, bad body', async () => {
		assertError(assert, await post(`${srv.url}/api/v1/admin/login`, { username: 'alice', password: 'wrong password!' }),
		    401, 'unauthorized', 'wrong password');
		assertError(assert, await post(`${srv.url}/api/v1/admin/login`, { username: 'mallory', password: PASSWORD }),
		    401, 'unauthorized', 'unknown user');
		assertError(assert, await post(`${srv.url}/api/v1/admin/login`, { username: 'alice' }), 400, 'bad_request',
		    'no password');
		assertError(assert, await post(`${srv.url}/api/v1/admin/login`, 'alice:pw'), 400, 'bad_json', 'not JSON');
	});

	test('a login from another site\'s page is refused (login CSRF); same-origin is fine', async () => {
		const url = `${srv.url}/api/v1/admin/login`;
		const body = { username: 'alice', password: PASSWORD };
		assertError(assert, await post(url, body, { origin: 'http://evil.example' }), 403, 'forbidden',
		    'foreign Origin');
		assertError(assert, await post(url, body, { 'sec-fetch-site': 'cross-site' }), 403, 'forbidden',
		    'Sec-Fetch-Site: cross-site');
		const ok = await post(url, body, { origin: srv.url, 'sec-fetch-site': 'same-origin' });
		assert.equal(ok.status, 200, ok.text);
	});

	test('logout ends the session', async () => {
		const s = await adminLogin(srv, 'alice');
		let r = await get(`${srv.url}/api/v1/admin/me`, s.headers);
		assert.equal(r.status, 200);
		r = await post(`${srv.url}/api/v1/admin/logout`, undefined, s.headers);
		assert.equal(r.status, 200, r.text);
		const sc = r.headers.getSetCookie().find((c) => c.startsWith('ita_session='));
		assert.match(sc ?? '', /^ita_session=;.*Max-Age=0/i, 'the cookie is cleared');
		assertError(assert, await get(`${srv.url}/api/v1/admin/me`, s.headers), 401, 'unauthorized', 'after logout');
		assertError(assert, await get(`${srv.url}/api/v1/admin/rounds`, s.headers), 401, 'unauthorized', 'after logout');
		// Other sessions live on.
		assert.equal((await get(`${srv.url}/api/v1/admin/me`, alice.headers)).status, 200);
	});
});

describe('rounds, codes and the audit log through the API', () => {
	let id, codes;

	test('POST /api/v1/admin/rounds creates a closed round', async () => {
		const r = await post(`${srv.url}/api/v1/admin/rounds`, { form: 'ita-2563-iit', title: 'API round', population: 50 },
		    alice.headers);
		assert.equal(r.status, 201, r.text);
		id = r.json.id;
		assert.ok(Number.isInteger(id) && id > 0);
		assert.equal(r.json.state, 'closed');
		assert.equal(r.json.title, 'API round');
		assert.equal(r.json.population, 50);
		assertError(assert, await post(`${srv.url}/api/v1/admin/rounds`, { form: 'nope', title: 'x' }, alice.headers),
		    422, 'unknown_form', 'unknown form');
		assertError(assert, await post(`${srv.url}/api/v1/admin/rounds`, { form: 'ita-2563-iit' }, alice.headers),
		    400, 'bad_request', 'no title');
		assertError(assert, await post(`${srv.url}/api/v1/admin/rounds`, { form: 'ita-2563-iit', title: 'x', public: true },
		    alice.headers), 422, 'bad_public', 'a public internal round');
		assertError(assert, await post(`${srv.url}/api/v1/admin/rounds`, { form: 'ita-2563-iit', title: '' },
		    alice.headers), 422, 'bad_title', 'an empty title');
		assertError(assert, await get(`${srv.url}/api/v1/admin/rounds/999999`, alice.headers), 404, 'not_found',
		    'an unknown round');
	});

	test('POST .../tokens {"count": 3}: three distinct codes', async () => {
		const r = await post(`${srv.url}/api/v1/admin/rounds/${id}/tokens`, { count: 3 }, alice.headers);
		assert.equal(r.status, 201, r.text);
		codes = r.json.tokens;
		assert.equal(codes.length, 3);
		for (const c of codes)
			assert.match(c, TOKEN_RE);
		assert.equal(new Set(codes).size, 3);
		for (const [body, status, code] of [[{ count: 0 }, 422, 'bad_count'], [{ count: 5001 }, 422, 'bad_count'],
		    [{ count: '3' }, 400, 'bad_request'], [{}, 400, 'bad_request']])
			assertError(assert, await post(`${srv.url}/api/v1/admin/rounds/${id}/tokens`, body, alice.headers), status,
			    code, JSON.stringify(body));
		assertError(assert, await post(`${srv.url}/api/v1/admin/rounds/999999/tokens`, { count: 1 }, alice.headers),
		    404, 'not_found', 'unknown round');
	});

	test('open through the API, listed, and a code works', async () => {
		let r = await post(`${srv.url}/api/v1/admin/rounds/${id}/open`, undefined, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.state, 'open');
		r = await get(`${srv.url}/api/v1/admin/rounds`, alice.headers);
		assert.equal(r.status, 200, r.text);
		const listed = r.json.rounds.find((x) => x.id === id);
		assert.equal(listed?.state, 'open');
		assert.equal(listed.form, 'ita-2563-iit');
		assert.equal(listed.tokens_issued, 3);
		const form = await getForm(srv, id);
		r = await post(`${srv.url}/api/v1/rounds/${id}/responses`,
		    { submission_id: uuid(), token: codes[1].toLowerCase(), answers: makeAnswers(form) });
		assert.equal(r.status, 201, r.text);
		r = await get(`${srv.url}/api/v1/admin/rounds/${id}`, bob.headers);
		assert.equal(r.json.respondents, 0, 'one response shows as none: counts move in steps of min_cell');
		assert.equal(r.json.tokens_used, 0, 'codes used, likewise');
		assert.equal(r.json.min_cell, 5);
		assertError(assert, await post(`${srv.url}/api/v1/admin/rounds/999999/open`, undefined, alice.headers), 404,
		    'not_found', 'open an unknown round');
		r = await post(`${srv.url}/api/v1/admin/rounds/${id}/close`, undefined, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.state, 'closed');
	});

	test('GET /api/v1/admin/audit shows the actions, newest first', async () => {
		const r = await get(`${srv.url}/api/v1/admin/audit`, alice.headers);
		assert.equal(r.status, 200, r.text);
		const lines = r.json.audit;
		assert.ok(Array.isArray(lines));
		const mine = lines.filter((l) => l.user === 'alice')
		    .map((l) => `${l.action}${l.facts.round !== undefined ? ` round ${l.facts.round}` : ''} ${l.detail}`);
		for (const want of ['round.create', 'tokens.issue', 'round.open', 'round.close'])
			assert.ok(mine.some((m) => m.startsWith(`${want} round ${id}`)), `${want} of round ${id} in ${mine.join('; ')}`);
		assert.ok(mine.includes('login signed in'), 'the login');
		const order = ['round.close', 'round.open', 'tokens.issue', 'round.create']
		    .map((a) => mine.findIndex((m) => m.startsWith(`${a} round ${id}`)));
		assert.deepEqual([...order].sort((a, b) => a - b), order, 'newest first');
		for (const c of codes)
			assert.ok(!r.text.includes(c) && !r.text.includes(c.replaceAll('-', '')), 'no code in the audit log');
	});
});

describe('404 for an unknown round on every /rounds/{id} route', () => {
	const BODIES = { '/tokens': { count: 1 }, '/kiosks': { name: 'x' }, '': { title: 'x' },
	    '/tokens/void': { all_unused: true } };
	const QUERY = { '/export': '?what=scores&format=csv' };
	const tail = (r) => r.pattern.replace(/^.*\/rounds\/#/, '');
	for (const r of ADMIN_ROUTES.filter((x) => x.pattern.includes('/rounds/#'))) {
		test(`${r.method} ${r.pattern}`, async () => {
			const res = await request(`${at(r, 999999)}${QUERY[tail(r)] ?? ''}`, { method: r.method,
			    headers: alice.headers, body: r.body ? (BODIES[tail(r)] ?? {}) : undefined });
			assertError(assert, res, 404, 'not_found', `${r.method} ${r.pattern} of round 999999`);
		});
	}
});

describe('unknown routes and wrong methods', () => {
	test('unknown API routes: 404 in the envelope', async () => {
		for (const p of ['/api/v1/nope', '/api/v1/admin/nope', '/api/v2/rounds/1/form', '/api', '/api/',
		    '/api/v1/rounds/1', '/api/v1/rounds/1/form/x', '/api/v1/admin/rounds/1/nope'])
			assertError(assert, await get(`${srv.url}${p}`, alice.headers), 404, 'not_found', p);
		assertError(assert, await post(`${srv.url}/api/v1/nope`, {}), 404, 'not_found', 'POST /api/v1/nope');
	});

	test('a wrong method on a known route: 405', async () => {
		for (const [m, p] of [['DELETE', '/api/v1/admin/rounds'], ['GET', `/api/v1/rounds/${round}/responses`],
		    ['PUT', '/healthz'], ['GET', '/api/v1/admin/login'], ['POST', `/api/v1/admin/rounds/${round}/scores`],
		    ['DELETE', '/api/v1/admin/kiosks/1']])
			assertError(assert, await request(`${srv.url}${p}`, { method: m, headers: alice.headers }), 405,
			    'method_not_allowed', `${m} ${p}`);
	});

	test('405 names the allowed methods in Allow (RFC 9110 15.5.6)', async () => {
		const r = await request(`${srv.url}/api/v1/admin/rounds`, { method: 'DELETE', headers: alice.headers });
		assert.equal(r.status, 405);
		assert.match(r.headers.get('allow') ?? '', /\bGET\b/);
		assert.match(r.headers.get('allow') ?? '', /\bPOST\b/);
	});
});

describe('lock-out after five wrong passwords', () => {
	let s2;
	after(async () => {
		await s2?.stop();
	});

	test('then even the right password gets 429 until the lock ends', async () => {
		// Its own server: login attempts are also limited per address.
		s2 = await startServer();
		const carol = await adminLogin(s2, 'carol');
		await adminLogin(s2, 'dave');
		const u = `${s2.url}/api/v1/admin/login`;
		for (let i = 1; i <= 5; i++)
			assertError(assert, await post(u, { username: 'carol', password: `wrong password ${i}` }), 401,
			    'unauthorized', `wrong password ${i}`);
		const r = await post(u, { username: 'carol', password: PASSWORD });
		assert.equal(r.status, 429, r.text);
		assert.match(r.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
		assert.ok(Number(r.headers.get('retry-after')) <= 15 * 60);
		assert.ok(['locked', 'rate_limited'].includes(r.json?.error?.code), r.text);
		assert.equal(sessionCookie(r.headers), null, 'no session while locked');
		// Sessions opened before the lock-out, and other accounts, are not locked.
		assert.equal((await get(`${s2.url}/api/v1/admin/me`, carol.headers)).status, 200);
		const d = await post(u, { username: 'dave', password: PASSWORD });
		assert.equal(d.status, 200, d.text);
	});
});
