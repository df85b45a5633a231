// SPDX-License-Identifier: ISC
// Limits per client: failed admin logins per name and address and per
// address (never an account locked for everyone), responses per kiosk key whatever the address (the
// 121st in a minute gets 429), and connections per address (64: slowloris
// from one address cannot lock out another).  Each part has its own
// server, since the counts live for minutes.  (Wrong access codes and
// public-round responses are in responses.test.mjs and kiosk.test.mjs.)

import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
	PASSWORD, startServer, createRound, getForm, makeAnswers, addKiosk, respondents, requestFrom, uuid,
	assertError,
} from '../lib/server.mjs';

const EIT = 'ita-2563-eit';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assertRetryAfter(r, max, what) {
	const ra = r.headers.get('retry-after');
	assert.match(ra ?? '', /^[1-9][0-9]*$/, `${what}: Retry-After ${ra}`);
	assert.ok(Number(ra) <= max, `${what}: Retry-After ${ra} > ${max}`);
}

describe('failed logins: 5 per name and address, 20 per address, in 15 minutes', () => {
	let srv, u;
	after(async () => {
		await srv?.stop();
	});
	const login = (from, username, password) => requestFrom(from, u, { method: 'POST',
	    body: { username, password } });

	test('five wrong passwords lock that name at that address only', async () => {
		srv = await startServer();
		u = `${srv.url}/api/v1/admin/login`;
		for (const user of ['alice', 'bob']) {
			const add = await srv.cli(['admin', 'add', user], { input: `${PASSWORD}\n` });
			assert.equal(add.code, 0, add.stderr);
		}
		for (let i = 1; i <= 5; i++)
			assertError(assert, await login('127.0.0.1', 'alice', `wrong ${i}`), 401, 'unauthorized', `attempt ${i}`);
		const r = await login('127.0.0.1', 'alice', PASSWORD);
		assertError(assert, r, 429, 'locked', 'the right password from the guessing address');
		assertRetryAfter(r, 15 * 60, 'locked');
		assert.equal(r.headers.get('set-cookie'), null, 'no session while locked');
		// The account is not locked for anyone else, nor other names for the guesser.
		const other = await login('127.0.0.2', 'alice', PASSWORD);
		assert.equal(other.status, 200, `alice from another address: ${other.text}`);
		assert.match(other.headers.get('set-cookie') ?? '', /^ita_session=/);
		const bob = await login('127.0.0.1', 'bob', PASSWORD);
		assert.equal(bob.status, 200, `bob from the guessing address: ${bob.text}`);
	});

	test('an unknown name answers exactly as a known one, and takes as long', async () => {
		const seq = async (from, user) => {
			const out = [];
			for (let i = 1; i <= 6; i++) {
				const t0 = process.hrtime.bigint();
				const r = await login(from, user, `wrong ${i}`);
				out.push({ status: r.status, body: r.text, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
			}
			return out;
		};
		const known = await seq('127.0.0.3', 'alice');
		const unknown = await seq('127.0.0.4', 'nobody-here');
		assert.deepEqual(unknown.map((x) => [x.status, x.body]), known.map((x) => [x.status, x.body]));
		assert.deepEqual(known.map((x) => x.status), [401, 401, 401, 401, 401, 429]);
		// Both verify a password hash (argon2id) before answering 401.
		const median = (xs) => xs.map((x) => x.ms).slice(0, 5).sort((a, b) => a - b)[2];
		const ratio = median(unknown) / median(known);
		assert.ok(ratio > 0.5 && ratio < 2, `unknown/known time ${ratio.toFixed(2)}`);
	});

	test('parallel wrong passwords get no more than five tries', async () => {
		const rs = await Promise.all([...Array(12)].map((_, i) => login('127.0.0.5', 'bob', `wrong ${i}`)));
		const statuses = rs.map((r) => r.status).sort();
		assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(7).fill(429)], statuses.join(' '));
	});

	test('twenty failures from one address, whatever the names, stop that address', async () => {
		for (let i = 1; i <= 20; i++)
			assertError(assert, await login('127.0.0.6', `guess${i}`, 'wrong password'), 401, 'unauthorized',
			    `attempt ${i}`);
		const r = await login('127.0.0.6', 'alice', PASSWORD);
		assertError(assert, r, 429, 'rate_limited', '21st attempt');
		assertRetryAfter(r, 15 * 60, '21st attempt');
		const ok = await login('127.0.0.7', 'alice', PASSWORD);
		assert.equal(ok.status, 200, ok.text);
	});

	test('a successful login counts nothing', async () => {
		for (let i = 0; i < 8; i++) {
			const r = await login('127.0.0.8', 'alice', PASSWORD);
			assert.equal(r.status, 200, `login ${i + 1}: ${r.text}`);
		}
	});
});

describe('kiosks: 120 responses per minute per key, whatever the address', () => {
	let srv;
	after(async () => {
		await srv?.stop();
	});

	test('the 121st response of one kiosk within a minute gets 429; another kiosk is served', async (t) => {
		srv = await startServer();
		const round = await createRound(srv, EIT);
		const form = await getForm(srv, round);
		const k1 = await addKiosk(srv, round, 'counter 1');
		const k2 = await addKiosk(srv, round, 'counter 2');
		const u = `${srv.url}/api/v1/rounds/${round}/responses`;
		const send = (from, key, body = { submission_id: uuid(), answers: makeAnswers(form) }) =>
		    requestFrom(from, u, { method: 'POST', body, headers: { authorization: `Kiosk ${key}` } });
		const t0 = Date.now();
		// 120 from three addresses (a row of tablets behind one router
		// looks like one address; here one key looks like three).
		let first;
		for (let i = 0; i < 120; i += 8) {
			const rs = await Promise.all([...Array(8)].map((_, j) => {
				const body = { submission_id: uuid(), answers: makeAnswers(form) };
				first ??= body;
				return send(`127.0.0.${1 + (i + j) % 3}`, k1, body);
			}));
			for (const r of rs)
				assert.equal(r.status, 201, r.text);
		}
		const r = await send('127.0.0.4', k1);
		if (Date.now() - t0 > 55000)
			return t.skip('120 responses took more than 55 s: the one-minute window may have rolled over');
		assertError(assert, r, 429, 'rate_limited', '121st response of kiosk 1');
		assertRetryAfter(r, 60, '121st');
		// A replay is still recognised; another kiosk, and the same
		// address, are served.
		const replay = await send('127.0.0.1', k1, first);
		assert.equal(replay.status, 200, replay.text);
		const other = await send('127.0.0.4', k2);
		assert.equal(other.status, 201, other.text);
		assert.equal(await respondents(srv, round), 121);
	});
});

describe('connections: 64 per address (slowloris)', () => {
	let srv;
	const socks = [];
	let trickle = null;
	after(async () => {
		clearInterval(trickle);
		for (const s of socks)
			s.destroy();
		await srv?.stop();
	});

	test('70 slow connections from 127.0.0.1: 6 are closed, 127.0.0.2 is still served', async () => {
		srv = await startServer();
		const u = new URL(srv.url);
		let closed = 0;
		for (let i = 0; i < 70; i++) {
			const s = net.connect({ host: u.hostname, port: Number(u.port), localAddress: '127.0.0.1' });
			s.on('error', () => {});
			s.on('close', () => { closed++; });
			s.setNoDelay(true);
			// Headers that never end: one more line every second.
			s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
			socks.push(s);
		}
		trickle = setInterval(() => {
			for (const s of socks)
				if (!s.destroyed)
					s.write('X-Slow: 1\r\n');
		}, 1000);
		for (let i = 0; i < 100 && closed < 6; i++)
			await sleep(100);
		await sleep(500);
		assert.equal(closed, 6, 'the connections over 64 from one address are closed by the server');

		const other = await requestFrom('127.0.0.2', `${srv.url}/healthz`);
		assert.equal(other.status, 200, 'another address is served');
		await assert.rejects(requestFrom('127.0.0.1', `${srv.url}/healthz`), /ECONNRESET|socket hang up|EPIPE/,
		    'a 65th connection from 127.0.0.1 is refused');
		assert.equal(closed, 6, 'the 64 slow connections are still open');

		// Once they go, 127.0.0.1 is served again.
		clearInterval(trickle);
		for (const s of socks)
			s.destroy();
		let r = null;
		for (let i = 0; i < 50 && r === null; i++) {
			r = await requestFrom('127.0.0.1', `${srv.url}/healthz`).catch(() => null);
			if (r === null)
				await sleep(100);
		}
		assert.equal(r?.status, 200, '127.0.0.1 is served again');
	});
});
