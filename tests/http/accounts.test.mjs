// SPDX-License-Identifier: ISC
// Accounts through the API: list, add (with a password or a temporary one
// shown once), change a role, disable and enable, reset a password, and
// one's own password.  Every route refuses a request without a session
// (401), a viewer (403) and a change without the CSRF header (403); bad
// input changes nothing; the last administrator can be neither disabled
// nor demoted; a disabled account cannot log in and its sessions end at
// once; a demoted administrator loses write rights at once; a temporary
// password must be replaced before anything else; no password ever
// reaches the audit log or the server's stderr; each action writes its
// audit line with its facts.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	PASSWORD, TOKEN_RE, startServer, adminLogin, sessionCookie, request, post, get, assertError, sql,
} from '../lib/server.mjs';

const TEMP_RE = TOKEN_RE;	// a temporary password looks like an access code

let srv, alice, vera;
const secrets = [];		// every password this file sent or received

const api = (p) => `${srv.url}/api/v1/admin${p}`;
const patch = (p, body, headers) => request(api(p), { method: 'PATCH', body, headers });

// Log in; resolves {status, json, headers, session} (session as adminLogin's).
async function login(username, password) {
	const r = await post(api('/login'), { username, password });
	const cookie = r.status === 200 ? sessionCookie(r.headers) : null;
	return { ...r, session: cookie && { cookie, csrf: r.json.csrf_token,
	    headers: { cookie: `ita_session=${cookie}`, 'x-csrf-token': r.json.csrf_token } } };
}

async function accounts() {
	const r = await get(api('/accounts'), alice.headers);
	assert.equal(r.status, 200, r.text);
	return r.json.accounts;
}

const byName = async (name) => (await accounts()).find((a) => a.username === name);

// The audit lines of action (newest first), as the API shows them.
async function audit(action) {
	const r = await get(api(`/audit?action=${encodeURIComponent(action)}`), alice.headers);
	assert.equal(r.status, 200, r.text);
	return r.json.audit;
}

async function auditCount() {
	const [{ n }] = await sql(srv.db, 'SELECT count(*) AS n FROM audit_log');
	return n;
}

// Adds an account through the API; resolves the 201 reply's JSON.
async function add(username, role, password) {
	const body = { username, role };
	if (password !== undefined)
		body.password = password;
	const r = await post(api('/accounts'), body, alice.headers);
	assert.equal(r.status, 201, r.text);
	if (r.json.temporary_password)
		secrets.push(r.json.temporary_password);
	return r.json;
}

before(async () => {
	srv = await startServer();
	secrets.push(PASSWORD);
	alice = await adminLogin(srv, 'alice');
	vera = await adminLogin(srv, 'vera', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

describe('who may call the account routes', () => {
	const routes = [
		['GET', '/accounts'], ['POST', '/accounts', { username: 'x1', role: 'viewer' }],
		['PATCH', '/accounts/1', { role: 'viewer' }], ['POST', '/accounts/1/reset'],
		['POST', '/password', { current: PASSWORD, new: 'something else 1' }],
	];
	test('401 without a session', async () => {
		for (const [method, p, body] of routes)
			assertError(assert, await request(api(p), { method, body }), 401, 'unauthorized', `${method} ${p}`);
	});
	test('403 csrf on every change without the X-CSRF-Token header', async () => {
		for (const [method, p, body] of routes.filter(([m]) => m !== 'GET'))
			for (const h of [{}, { 'x-csrf-token': vera.csrf }])
				assertError(assert, await request(api(p), { method, body,
				    headers: { cookie: `ita_session=${alice.cookie}`, ...h } }), 403, 'csrf', `${method} ${p}`);
	});
	test('403 for a viewer on every account route but their own password', async () => {
		for (const [method, p, body] of routes.filter(([, x]) => x !== '/password'))
			assertError(assert, await request(api(p), { method, body, headers: vera.headers }), 403, 'forbidden',
			    `${method} ${p}`);
	});
	test('nothing changed', async () => {
		const list = await accounts();
		assert.deepEqual(list.map((a) => [a.username, a.role, a.disabled, a.must_change]),
		    [['alice', 'admin', false, false], ['vera', 'viewer', false, false]]);
		assert.equal((await login('alice', PASSWORD)).status, 200, 'alice\'s password is unchanged');
		assert.equal((await audit('admin.reset')).length, 0);
	});
});

describe('the list', () => {
	test('GET /accounts: id, name, role, state, created_at; never a hash', async () => {
		const r = await get(api('/accounts'), alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.match(r.headers.get('cache-control') ?? '', /no-store/);
		assert.ok(!/argon2|pwhash/i.test(r.text), r.text);
		for (const a of r.json.accounts) {
			assert.deepEqual(Object.keys(a).sort(), ['created_at', 'disabled', 'id', 'must_change', 'role', 'username']);
			assert.ok(Number.isInteger(a.id) && a.id > 0);
			assert.ok(Math.abs(a.created_at - Date.now() / 1000) < 600);
		}
	});
});

describe('adding an account', () => {
	test('with a password: it logs in at once, nothing to change', async () => {
		const pw = 'a chosen password 1';
		secrets.push(pw);
		const r = await add('paul', 'viewer', pw);
		assert.deepEqual(Object.keys(r), ['account']);
		assert.equal(r.account.username, 'paul');
		assert.equal(r.account.role, 'viewer');
		assert.equal(r.account.must_change, false);
		const l = await login('paul', pw);
		assert.equal(l.status, 200, l.text);
		assert.equal(l.json.must_change, false);
	});

	test('without one: a temporary password shown once, to replace at the first login', async () => {
		const r = await post(api('/accounts'), { username: 'tina.k@agency', role: 'admin' }, alice.headers);
		assert.equal(r.status, 201, r.text);
		assert.match(r.headers.get('cache-control') ?? '', /no-store/);
		assert.match(r.json.temporary_password, TEMP_RE);
		secrets.push(r.json.temporary_password);
		assert.equal(r.json.account.must_change, true);
		assert.equal(r.json.account.role, 'admin');
		assert.ok(!(await get(api('/accounts'), alice.headers)).text.includes(r.json.temporary_password));
		const l = await login('tina.k@agency', r.json.temporary_password);
		assert.equal(l.status, 200, l.text);
		assert.equal(l.json.must_change, true);
		const password = await post(api('/password'), { current: r.json.temporary_password, new: 'tina chose this' },
		    l.session.headers);
		secrets.push('tina chose this');
		assert.equal(password.status, 200, password.text);
	});

	test('bad input: 4xx and nothing added', async () => {
		const before = await accounts();
		const lines = await auditCount();
		const cases = [
			[{ username: 'a b', role: 'viewer', password: PASSWORD }, 422, 'bad_username'],
			[{ username: '', role: 'viewer', password: PASSWORD }, 422, 'bad_username'],
			[{ username: 'x'.repeat(65), role: 'viewer', password: PASSWORD }, 422, 'bad_username'],
			[{ username: 'nul\u0000x', role: 'viewer', password: PASSWORD }, 400, 'bad_json'],
			[{ username: 'ผู้ใช้', role: 'viewer', password: PASSWORD }, 422, 'bad_username'],
			[{ username: 'ok1', role: 'boss', password: PASSWORD }, 422, 'bad_role'],
			[{ username: 'ok1', role: 'viewer', password: 'short' }, 422, 'bad_password'],
			[{ username: 'ok1', role: 'viewer', password: 'x'.repeat(257) }, 422, 'bad_password'],
			[{ username: 'ok1', role: 'viewer', password: 'nul in\u0000 password' }, 400, 'bad_json'],
			[{ username: 'ok1', role: 'viewer', password: 12345678 }, 400, 'bad_request'],
			[{ username: 'ok1', password: PASSWORD }, 400, 'bad_request'],
			[{ username: 'ok1', role: 'viewer', admin: true }, 400, 'bad_request'],
			[{ username: 7, role: 'viewer' }, 400, 'bad_request'],
			[{ username: 'alice', role: 'viewer', password: PASSWORD }, 409, 'user_exists'],
			[{ username: 'paul', role: 'admin' }, 409, 'user_exists'],
		];
		for (const [body, status, code] of cases)
			assertError(assert, await post(api('/accounts'), body, alice.headers), status, code, JSON.stringify(body));
		assertError(assert, await post(api('/accounts'), '{"username": "ok1"', alice.headers), 400, 'bad_json', 'not JSON');
		assert.deepEqual(await accounts(), before);
		assert.equal(await auditCount(), lines, 'no audit line');
	});
});

describe('roles and the last administrator', () => {
	test('the only administrator can neither demote nor disable themselves', async () => {
		// tina is an administrator too: make her a viewer, so alice is the last one.
		const tina = await byName('tina.k@agency');
		let r = await patch(`/accounts/${tina.id}`, { role: 'viewer' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.role, 'viewer');
		const me = await byName('alice');
		assertError(assert, await patch(`/accounts/${me.id}`, { role: 'viewer' }, alice.headers), 409, 'last_admin',
		    'demote the last admin');
		assertError(assert, await patch(`/accounts/${me.id}`, { disabled: true }, alice.headers), 409, 'own_account',
		    'disable oneself');
		assertError(assert, await patch(`/accounts/${me.id}`, { role: 'viewer', disabled: true }, alice.headers), 409,
		    'own_account', 'both');
		r = await get(api('/me'), alice.headers);
		assert.equal(r.json.role, 'admin', 'still an administrator');
		// The shell keeps the same rule.
		const cli = await srv.cli(['admin', 'disable', 'alice']);
		assert.equal(cli.code, 1);
		assert.match(cli.stderr, /last enabled administrator/);
		const cli2 = await srv.cli(['admin', 'role', 'alice', 'viewer']);
		assert.equal(cli2.code, 1);
		assert.deepEqual((await byName('alice')), me, 'nothing changed');
	});

	test('a demoted administrator loses write rights at once, in the open session', async () => {
		const pw = 'carol password 1';
		secrets.push(pw);
		const { account } = await add('carol', 'admin', pw);
		const carol = (await login('carol', pw)).session;
		let r = await post(api('/rounds'), { form: 'ita-2563-iit', title: 'by carol' }, carol.headers);
		assert.equal(r.status, 201, r.text);
		// With two administrators, alice can be demoted by carol: not the last.
		r = await patch(`/accounts/${account.id}`, { role: 'viewer' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assertError(assert, await post(api('/rounds'), { form: 'ita-2563-iit', title: 'again' }, carol.headers), 403,
		    'forbidden', 'demoted');
		assertError(assert, await get(api('/accounts'), carol.headers), 403, 'forbidden', 'demoted: accounts');
		assert.equal((await get(api('/me'), carol.headers)).json.role, 'viewer');
		assert.equal((await get(api('/rounds'), carol.headers)).status, 200, 'still reads');
		// And promoted again: at once too.
		r = await patch(`/accounts/${account.id}`, { role: 'admin' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal((await get(api('/accounts'), carol.headers)).status, 200);
		// Now alice is not the last administrator: carol may demote her, then not herself.
		const me = await byName('alice');
		r = await patch(`/accounts/${me.id}`, { role: 'viewer' }, carol.headers);
		assert.equal(r.status, 200, r.text);
		assertError(assert, await get(api('/accounts'), alice.headers), 403, 'forbidden', 'alice demoted');
		assertError(assert, await patch(`/accounts/${account.id}`, { role: 'viewer' }, carol.headers), 409, 'last_admin',
		    'carol is the last');
		r = await patch(`/accounts/${me.id}`, { role: 'admin' }, carol.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal((await get(api('/accounts'), alice.headers)).status, 200, 'alice is back');
	});

	test('bad PATCH bodies: 4xx and nothing changed', async () => {
		const before = await accounts();
		const lines = await auditCount();
		const paul = await byName('paul');
		for (const [p, body, status, code] of [
			[`/accounts/${paul.id}`, { role: 'boss' }, 422, 'bad_role'],
			[`/accounts/${paul.id}`, { role: 'boss', disabled: true }, 422, 'bad_role'],
			[`/accounts/${paul.id}`, { disabled: 'yes' }, 400, 'bad_request'],
			[`/accounts/${paul.id}`, { disabled: 1 }, 400, 'bad_request'],
			[`/accounts/${paul.id}`, { role: 1 }, 400, 'bad_request'],
			[`/accounts/${paul.id}`, { password: 'x' }, 400, 'bad_request'],
			[`/accounts/${paul.id}`, [], 400, 'bad_request'],
			['/accounts/999999', { disabled: true }, 404, 'not_found'],
		])
			assertError(assert, await patch(p, body, alice.headers), status, code, `${p} ${JSON.stringify(body)}`);
		assertError(assert, await request(api('/accounts/0'), { method: 'PATCH', body: {}, headers: alice.headers }), 404,
		    'not_found', 'id 0');
		assertError(assert, await post(api('/accounts/999999/reset'), undefined, alice.headers), 404, 'not_found',
		    'reset of no one');
		assert.deepEqual(await accounts(), before);
		assert.equal(await auditCount(), lines, 'no audit line');
		// A PATCH that changes nothing answers the account and writes no line.
		const r = await patch(`/accounts/${paul.id}`, { role: 'viewer', disabled: false }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(await auditCount(), lines);
	});
});

describe('disabling an account', () => {
	test('its session stops at once; it cannot log in, with the answer of a wrong password', async () => {
		const pw = 'dora password 1';
		secrets.push(pw);
		const { account } = await add('dora', 'admin', pw);
		const dora = (await login('dora', pw)).session;
		const dora2 = (await login('dora', pw)).session;
		assert.equal((await get(api('/me'), dora.headers)).status, 200);
		const r = await patch(`/accounts/${account.id}`, { disabled: true }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.disabled, true);
		for (const s of [dora, dora2]) {
			assertError(assert, await get(api('/me'), s.headers), 401, 'unauthorized', 'disabled: me');
			assertError(assert, await post(api('/rounds'), { form: 'ita-2563-iit', title: 'x' }, s.headers), 401,
			    'unauthorized', 'disabled: write');
		}
		const [{ n }] = await sql(srv.db, `SELECT count(*) AS n FROM sessions WHERE admin_id = ${account.id}`);
		assert.equal(n, 0, 'its sessions are deleted');
		const failsBefore = (await audit('login.fail')).length;
		const disabled = await login('dora', pw);
		const wrong = await login('dora', 'not her password');
		assertError(assert, disabled, 401, 'unauthorized', 'disabled login');
		assert.deepEqual(disabled.json, wrong.json, 'the same answer as a wrong password');
		assert.equal(sessionCookie(disabled.headers), null);
		const fails = await audit('login.fail');
		assert.equal(fails.length, failsBefore + 2, 'both failed logins audited');
		assert.deepEqual(fails[1].facts, { user: 'dora' });
		// Enabled again: the same password works.
		const en = await patch(`/accounts/${account.id}`, { disabled: false }, alice.headers);
		assert.equal(en.status, 200, en.text);
		assert.equal(en.json.disabled, false);
		assert.equal((await login('dora', pw)).status, 200);
		// The list says so.
		assert.equal((await byName('dora')).disabled, false);
	});
});

describe('resetting a password', () => {
	let temp, vera2;

	test('the old password and sessions stop; a temporary one is shown once', async () => {
		const v = await byName('vera');
		vera2 = (await login('vera', PASSWORD)).session;
		const r = await post(api(`/accounts/${v.id}/reset`), undefined, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.match(r.headers.get('cache-control') ?? '', /no-store/);
		temp = r.json.temporary_password;
		secrets.push(temp);
		assert.match(temp, TEMP_RE);
		assert.equal(r.json.account.username, 'vera');
		assert.equal(r.json.account.must_change, true);
		assertError(assert, await get(api('/me'), vera.headers), 401, 'unauthorized', 'old session');
		assertError(assert, await get(api('/me'), vera2.headers), 401, 'unauthorized', 'old session 2');
		assertError(assert, await login('vera', PASSWORD), 401, 'unauthorized', 'old password');
		assert.equal((await byName('vera')).must_change, true);
		// Twice gives another one: nothing is kept to show again.
		const again = await post(api(`/accounts/${v.id}/reset`), undefined, alice.headers);
		assert.notEqual(again.json.temporary_password, temp);
		secrets.push(again.json.temporary_password);
		assertError(assert, await login('vera', temp), 401, 'unauthorized', 'the first temporary password');
		temp = again.json.temporary_password;
	});

	test('with the temporary password, only me, logout and the password change answer', async () => {
		const l = await login('vera', temp);
		assert.equal(l.status, 200, l.text);
		assert.equal(l.json.must_change, true);
		vera = l.session;
		const me = await get(api('/me'), vera.headers);
		assert.equal(me.status, 200, me.text);
		assert.equal(me.json.must_change, true);
		for (const [method, p, body] of [['GET', '/rounds'], ['GET', '/forms'], ['GET', '/rounds/1'],
		    ['POST', '/qr', { texts: ['x'] }], ['GET', '/ita?iit=1&eit=2&oit=50'], ['GET', '/accounts']])
			assertError(assert, await request(api(p), { method, body, headers: vera.headers }), 403,
			    'password_change_required', `${method} ${p}`);
		// An administrator with a temporary password is held back the same way.
		const tina = await byName('tina.k@agency');
		await patch(`/accounts/${tina.id}`, { role: 'admin' }, alice.headers);
		const reset = await post(api(`/accounts/${tina.id}/reset`), undefined, alice.headers);
		secrets.push(reset.json.temporary_password);
		const t = (await login('tina.k@agency', reset.json.temporary_password)).session;
		for (const [method, p, body] of [['GET', '/accounts'], ['POST', '/rounds', { form: 'ita-2563-iit', title: 't' }],
		    ['PATCH', `/accounts/${tina.id}`, { role: 'viewer' }], ['GET', '/audit']])
			assertError(assert, await request(api(p), { method, body, headers: t.headers }), 403,
			    'password_change_required', `admin ${method} ${p}`);
		// Logging out works.
		const out = await post(api('/logout'), undefined, t.headers);
		assert.equal(out.status, 200, out.text);
	});

	test('the change needs the temporary password and a new, different, long enough one', async () => {
		assertError(assert, await post(api('/password'), { current: 'not the one', new: 'vera new password' },
		    vera.headers), 403, 'wrong_password', 'wrong current');
		assertError(assert, await post(api('/password'), { current: temp, new: temp }, vera.headers), 422,
		    'same_password', 'same');
		assertError(assert, await post(api('/password'), { current: temp, new: 'short' }, vera.headers), 422,
		    'bad_password', 'short');
		assertError(assert, await post(api('/password'), { current: temp, new: 'y'.repeat(257) }, vera.headers), 422,
		    'bad_password', 'long');
		assertError(assert, await post(api('/password'), { current: temp }, vera.headers), 400, 'bad_request', 'no new');
		assertError(assert, await post(api('/password'), { current: temp, new: 12345678 }, vera.headers), 400,
		    'bad_request', 'a number');
		assertError(assert, await post(api('/password'), { current: temp, new: 'vera new password', x: 1 }, vera.headers),
		    400, 'bad_request', 'extra');
		assertError(assert, await get(api('/rounds'), vera.headers), 403, 'password_change_required', 'still');
		const pw = 'vera new password';
		secrets.push(pw);
		const r = await post(api('/password'), { current: temp, new: pw }, vera.headers);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, { status: 'changed' });
		// The same session goes on, now free.
		assert.equal((await get(api('/rounds'), vera.headers)).status, 200);
		assert.equal((await get(api('/me'), vera.headers)).json.must_change, false);
		assertError(assert, await login('vera', temp), 401, 'unauthorized', 'temporary password after the change');
		const l = await login('vera', pw);
		assert.equal(l.status, 200);
		assert.equal(l.json.must_change, false);
		assert.equal((await byName('vera')).must_change, false);
	});

	test('an administrator cannot reset their own password', async () => {
		const me = await byName('alice');
		assertError(assert, await post(api(`/accounts/${me.id}/reset`), undefined, alice.headers), 409, 'own_account',
		    'own reset');
		assert.equal((await login('alice', PASSWORD)).status, 200, 'unchanged');
	});
});

describe('changing one\'s own password', () => {
	test('a viewer changes theirs with the current one; the other sessions end, this one stays', async () => {
		const pw = 'a chosen password 1';	// paul's, from "adding an account"
		const a = (await login('paul', pw)).session;
		const b = (await login('paul', pw)).session;
		assertError(assert, await post(api('/password'), { current: 'wrong wrong', new: 'paul second pw' }, a.headers),
		    403, 'wrong_password', 'wrong current');
		assert.equal((await login('paul', pw)).status, 200, 'unchanged after a wrong current one');
		const r = await post(api('/password'), { current: pw, new: 'paul second pw' }, a.headers);
		secrets.push('paul second pw');
		assert.equal(r.status, 200, r.text);
		assert.equal((await get(api('/me'), a.headers)).status, 200, 'this session stays');
		assertError(assert, await get(api('/me'), b.headers), 401, 'unauthorized', 'the other session ends');
		assertError(assert, await login('paul', pw), 401, 'unauthorized', 'the old password');
		assert.equal((await login('paul', 'paul second pw')).status, 200);
	});

	test('wrong current passwords count as failed logins of that name', async () => {
		const pw = 'gus password 1';
		secrets.push(pw);
		await add('gus', 'viewer', pw);
		const g = (await login('gus', pw)).session;
		for (let i = 0; i < 5; i++)
			assertError(assert, await post(api('/password'), { current: `guess ${i} guess`, new: 'gus second pw' },
			    g.headers), 403, 'wrong_password', `guess ${i}`);
		const r = await post(api('/password'), { current: pw, new: 'gus second pw' }, g.headers);
		assertError(assert, r, 429, 'locked', 'the sixth try');
		assertError(assert, await login('gus', pw), 429, 'locked', 'a login of gus from here too');
	});
});

describe('the audit log', () => {
	test('each action has its line, with the facts', async () => {
		const facts = async (action) => (await audit(action)).map((l) => [l.user, l.facts]);
		const adds = await facts('admin.add');
		for (const [user, role] of [['paul', 'viewer'], ['tina.k@agency', 'admin'], ['carol', 'admin'], ['dora', 'admin']])
			assert.ok(adds.some(([u, f]) => u === 'alice' && f.user === user && f.role === role), `admin.add ${user}`);
		const roles = await facts('admin.role');
		assert.ok(roles.some(([u, f]) => u === 'alice' && f.user === 'carol' && f.role === 'viewer'));
		assert.ok(roles.some(([u, f]) => u === 'carol' && f.user === 'alice' && f.role === 'viewer'));
		assert.ok(roles.some(([u, f]) => u === 'carol' && f.user === 'alice' && f.role === 'admin'));
		assert.deepEqual(await facts('admin.disable'), [['alice', { user: 'dora' }]]);
		assert.deepEqual(await facts('admin.enable'), [['alice', { user: 'dora' }]]);
		const resets = await facts('admin.reset');
		assert.equal(resets.filter(([u, f]) => u === 'alice' && f.user === 'vera').length, 2);
		assert.ok(resets.some(([, f]) => f.user === 'tina.k@agency'));
		const own = await facts('admin.password');
		for (const user of ['vera', 'paul', 'tina.k@agency'])
			assert.ok(own.some(([u, f]) => u === user && f.user === user), `admin.password ${user}`);
		const line = (await audit('admin.disable'))[0];
		assert.equal(line.text.en, 'disabled account "dora"');
		assert.equal(line.text.th, 'ปิดการใช้งานบัญชี "dora"');
	});

	test('no password, temporary or chosen, in the audit log, the database\'s readable columns or stderr', async () => {
		const rows = JSON.stringify(await sql(srv.db, 'SELECT * FROM audit_log'));
		const admins = JSON.stringify(await sql(srv.db, 'SELECT * FROM admins'));
		const log = srv.stderr();
		assert.ok(secrets.length >= 10, `${secrets.length} secrets checked`);
		for (const s of secrets) {
			assert.ok(!rows.includes(s), `audit log holds ${s}`);
			assert.ok(!admins.includes(s), `admins holds ${s}`);
			assert.ok(!log.includes(s), `stderr holds ${s}`);
			// The canonical form of a temporary one (no hyphens) neither.
			const bare = s.replaceAll('-', '');
			assert.ok(!rows.includes(bare) && !log.includes(bare));
		}
	});
});
