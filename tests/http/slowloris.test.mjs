// SPDX-License-Identifier: ISC
// Slowloris from many addresses: over a thousand connections from 18
// loopback addresses, each trickling its request head a line at a time.
// The server caps them per /24 (256), keeps answering /healthz to a fresh
// address within a second, and closes every trickling connection about
// HEAD_TIMEOUT (10 s) after it was accepted, while a request whose head is
// in but whose body trickles is left alone.  An idle keep-alive connection
// is closed 10 s after its reply too.

import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execSync } from 'node:child_process';
import { startServer, requestFrom } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 6 addresses of one /24 (384 connections, 256 allowed) and 12 addresses
// in 12 other /24s (64 each, the per-address cap).
const SAME_NET = [1, 2, 3, 4, 5, 6].map((i) => `127.1.0.${i}`);
const OTHER_NETS = [...Array(12)].map((_, i) => `127.${2 + i}.0.1`);
const PER_ADDRESS = 64;
const PER_NET = 256;
const FRESH = '127.9.9.9';

// Open one trickling connection; resolves once connected (or refused)
// with a record {sock, from, t0, tEnd (ms when the server closed it)}.
function slow(port, from) {
	return new Promise((resolve) => {
		const rec = { from, t0: Date.now(), tEnd: null, mine: false };
		const s = net.connect({ host: '127.0.0.1', port, localAddress: from });
		rec.sock = s;
		const ended = () => {
			if (rec.tEnd === null && !rec.mine)
				rec.tEnd = Date.now();
		};
		s.on('error', ended);
		s.on('end', ended);
		s.on('close', ended);
		s.on('connect', () => {
			rec.t0 = Date.now();
			s.setNoDelay(true);
			s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
			resolve(rec);
		});
		s.once('close', () => resolve(rec));
	});
}

describe('slowloris: a deadline for request heads, caps per /24', () => {
	let srv;
	const recs = [];
	const extra = [];
	let trickle = null;
	after(async () => {
		clearInterval(trickle);
		for (const r of [...recs, ...extra]) {
			r.mine = true;
			r.sock?.destroy();
		}
		await srv?.stop();
	});

	test('1,152 trickling connections from 18 addresses: /healthz from a fresh address answers within 1 s; ' +
	    'the excess over 256 per /24 is refused; all are closed 10 s after they began', async () => {
		const nofile = Number(execSync('sh -c "ulimit -n"').toString().trim());
		assert.ok(nofile === 0 || Number.isNaN(nofile) || nofile >= 4000,
		    `ulimit -n is ${nofile}: this test opens about 1,200 sockets in each process`);
		srv = await startServer();
		const port = Number(new URL(srv.url).port);
		const tStart = Date.now();

		// A request whose head is complete but whose body trickles: not
		// a slow head, so the deadline must leave it alone.
		const body = JSON.stringify({ username: 'nobody', password: 'wrong password' });
		const slowBody = { from: '127.20.0.1', t0: Date.now(), tEnd: null, mine: false, got: '' };
		slowBody.sock = net.connect({ host: '127.0.0.1', port, localAddress: slowBody.from });
		slowBody.sock.on('data', (d) => { slowBody.got += d.toString('latin1'); });
		slowBody.sock.on('close', () => { slowBody.tEnd ??= Date.now(); });
		slowBody.sock.on('error', () => {});
		slowBody.sock.write('POST /api/v1/admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
		    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
		extra.push(slowBody);
		let sent = 0;
		const bodyTimer = setInterval(() => {
			// All but the last byte until 12 s, then the rest.
			const upto = Date.now() - slowBody.t0 < 12000 ? Math.min(sent + 2, body.length - 1) : body.length;
			if (upto > sent && !slowBody.sock.destroyed) {
				slowBody.sock.write(body.slice(sent, upto));
				sent = upto;
			}
			if (sent === body.length)
				clearInterval(bodyTimer);
		}, 1000);

		// The attack, in batches so that the listen queue keeps up.
		const plan = [];
		for (const from of SAME_NET)
			for (let i = 0; i < PER_ADDRESS; i++)
				plan.push(from);
		for (const from of OTHER_NETS)
			for (let i = 0; i < PER_ADDRESS; i++)
				plan.push(from);
		for (let i = 0; i < plan.length; i += 64)
			recs.push(...await Promise.all(plan.slice(i, i + 64).map((from) => slow(port, from))));
		const tOpened = Date.now();
		assert.ok(tOpened - tStart < 8000, `opening took ${tOpened - tStart} ms`);
		trickle = setInterval(() => {
			for (const r of recs)
				if (r.tEnd === null && !r.sock.destroyed)
					r.sock.write('X-Slow: 1\r\n');
		}, 2000);

		// While they trickle, a fresh address is served at once, again and
		// again.
		const times = [];
		while (Date.now() - tOpened < 6000) {
			const t0 = Date.now();
			const r = await Promise.race([requestFrom(FRESH, `${srv.url}/healthz`),
			    sleep(1000).then(() => null)]);
			const ms = Date.now() - t0;
			assert.ok(r !== null, `/healthz from ${FRESH} unanswered after 1 s ` +
			    `(${recs.filter((x) => x.tEnd === null).length} slow connections open)`);
			assert.equal(r.status, 200);
			times.push(ms);
			await sleep(500);
		}
		assert.ok(times.length >= 5, `${times.length} probes`);

		// The /24 cap: of the 384 from 127.1.0.0/24, 256 stay; the rest are
		// closed at once.
		const sameNet = recs.filter((r) => r.from.startsWith('127.1.0.'));
		const earlySame = sameNet.filter((r) => r.tEnd !== null && r.tEnd - r.t0 < 5000).length;
		assert.equal(earlySame, SAME_NET.length * PER_ADDRESS - PER_NET,
		    'connections past 256 from one /24 are closed by the server at once');
		const others = recs.filter((r) => !r.from.startsWith('127.1.0.'));
		assert.equal(others.filter((r) => r.tEnd !== null && r.tEnd - r.t0 < 5000).length, 0,
		    '64 from each address of other /24s are accepted');
		const open = recs.filter((r) => r.tEnd === null).length;
		assert.ok(open >= 1000, `${open} slow connections open at once`);

		// Every slow connection is closed by the server 10 s after it began
		// (the reaper looks once a second), whatever it trickles.
		const tLast = Math.max(...recs.map((r) => r.t0));
		while (recs.some((r) => r.tEnd === null) && Date.now() - tLast < 15000)
			await sleep(200);
		const left = recs.filter((r) => r.tEnd === null).length;
		assert.equal(left, 0, `${left} slow connections still open 15 s after the last began`);
		const lives = recs.filter((r) => r.tEnd - r.t0 >= 5000).map((r) => r.tEnd - r.t0);
		assert.equal(lives.length, recs.length - earlySame);
		assert.ok(Math.min(...lives) >= 9000, `one was closed after ${Math.min(...lives)} ms, before 10 s`);
		assert.ok(Math.max(...lives) <= 13000, `one was closed after ${Math.max(...lives)} ms`);

		// The request with a slow body was not cut: it got its reply.
		while (slowBody.got === '' && Date.now() - slowBody.t0 < 16000)
			await sleep(200);
		clearInterval(bodyTimer);
		assert.match(slowBody.got, /^HTTP\/1\.1 401 /, 'the slow-body request was answered');

		// The caps are released: 127.1.0.1 is served again.
		const again = await requestFrom('127.1.0.1', `${srv.url}/healthz`);
		assert.equal(again.status, 200);
		assert.ok(Date.now() - tStart < 40000);
	});

	test('an idle keep-alive connection is closed 10 s after its reply', async () => {
		const port = Number(new URL(srv.url).port);
		const rec = { t0: 0, tEnd: null, got: '', mine: false };
		rec.sock = net.connect({ host: '127.0.0.1', port, localAddress: '127.21.0.1' });
		extra.push(rec);
		rec.sock.on('error', () => {});
		rec.sock.on('close', () => { rec.tEnd ??= Date.now(); });
		let tReply = 0;
		rec.sock.on('data', (d) => {
			rec.got += d.toString('latin1');
			tReply ||= Date.now();
		});
		await new Promise((r) => rec.sock.on('connect', r));
		rec.t0 = Date.now();
		rec.sock.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
		while (rec.tEnd === null && Date.now() - rec.t0 < 16000)
			await sleep(200);
		assert.match(rec.got, /^HTTP\/1\.1 200 /);
		assert.ok(rec.tEnd !== null, 'closed by the server');
		assert.ok(rec.tEnd - tReply >= 9000 && rec.tEnd - tReply <= 13000,
		    `closed ${rec.tEnd - tReply} ms after the reply`);
	});
});
