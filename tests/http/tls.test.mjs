// SPDX-License-Identifier: ISC
// TLS served directly (--tls-cert/--tls-key, libmicrohttpd with GnuTLS),
// checked with curl and openssl against a throw-away self-signed
// certificate: the first line says https://, requests work, the session
// cookie is Secure, every reply carries Strict-Transport-Security (and no
// reply over plain HTTP does), plain HTTP on the TLS port gets nothing, a
// handshake that never ends is cut after 10 s, old protocol versions are
// refused, a half or broken configuration is refused at start, and SIGHUP
// swaps in a renewed certificate without dropping an open connection.  Needs openssl and curl (tests/deps.sh installs DEPS_TEST).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import {
	BIN, PASSWORD, startServer, createRound, makeAnswers, respondents, post, run, uuid, serveUser,
} from '../lib/server.mjs';

let tmp, cert, key, srv, skip;

// curl with the test's CA; resolves {code, status, headers (lower-case
// names; set-cookie a list), body, json}.
async function curl(url, args = []) {
	const r = await run('curl', ['-sS', '-i', '--max-time', '10', '--cacert', cert, ...args, url]);
	const out = { code: r.code, stderr: r.stderr, status: null, headers: { 'set-cookie': [] }, body: '' };
	const text = r.stdout;
	const end = text.indexOf('\r\n\r\n');
	if (r.code !== 0 || end === -1)
		return out;
	const lines = text.slice(0, end).split('\r\n');
	out.status = Number(/^HTTP\/[0-9.]+ ([0-9]{3})/.exec(lines[0])?.[1]);
	for (const l of lines.slice(1)) {
		const i = l.indexOf(':');
		const k = l.slice(0, i).trim().toLowerCase(), v = l.slice(i + 1).trim();
		if (k === 'set-cookie')
			out.headers[k].push(v);
		else
			out.headers[k] = v;
	}
	out.body = text.slice(end + 4);
	try {
		out.json = JSON.parse(out.body);
	} catch {
		out.json = undefined;
	}
	return out;
}

before(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-tls-'));
	cert = path.join(tmp, 'cert.pem');
	key = path.join(tmp, 'key.pem');
	let g;
	try {
		g = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
		    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
		    '-keyout', key, '-out', cert]);
	} catch (e) {
		skip = `openssl is not installed (${e.code}): add "openssl" to DEPS_TEST in the Makefile`;
		return;
	}
	assert.equal(g.code, 0, g.stderr);
	fs.chmodSync(key, 0o600);
	srv = await startServer({ args: ['--tls-cert', cert, '--tls-key', key] });
});

after(async () => {
	await srv?.stop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe('HTTPS', () => {
	test('the first line says listening on https://', (t) => {
		if (skip)
			return t.skip(skip);
		assert.match(srv.url, /^https:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
	});

	test('curl --cacert GET /healthz: 200 with the security headers', async (t) => {
		if (skip)
			return t.skip(skip);
		const r = await curl(`${srv.url}/healthz`);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.status, 200);
		assert.deepEqual(r.json, { status: 'ok' });
		assert.equal(r.headers['x-content-type-options'], 'nosniff');
		assert.equal(r.headers['x-frame-options'], 'DENY');
		assert.equal(r.headers['referrer-policy'], 'no-referrer');
		assert.match(r.headers['content-security-policy'] ?? '', /script-src 'self'/);
		assert.equal(r.headers['cache-control'], 'no-store');
		assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
		// A static page over TLS too.
		const p = await curl(`${srv.url}/`);
		assert.equal(p.status, 200);
		assert.match(p.body, /<html/i);
		assert.equal(p.headers['strict-transport-security'], 'max-age=31536000', 'on a static page');
		const e = await curl(`${srv.url}/api/v1/no-such-route`);
		assert.equal(e.status, 404);
		assert.equal(e.headers['strict-transport-security'], 'max-age=31536000', 'on an error');
	});

	test('a client that never finishes its TLS handshake is closed about 10 s after it connected', async (t) => {
		if (skip)
			return t.skip(skip);
		const u = new URL(srv.url);
		const s = net.connect({ host: u.hostname, port: Number(u.port) });
		s.on('error', () => {});
		const t0 = await new Promise((r) => s.on('connect', () => r(Date.now())));
		// The head of a 512-byte handshake record, then its body a byte
		// now and then (each resets an inactivity timeout, not the
		// deadline).
		s.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
		const drip = setInterval(() => s.write(Buffer.from([0x00])), 2000);
		const ms = await new Promise((r) => {
			const timer = setTimeout(() => r(null), 16000);
			s.on('close', () => {
				clearTimeout(timer);
				r(Date.now() - t0);
			});
		});
		clearInterval(drip);
		s.destroy();
		assert.ok(ms !== null, 'still open after 16 s');
		assert.ok(ms >= 9000 && ms <= 13000, `closed after ${ms} ms`);
		const again = await curl(`${srv.url}/healthz`);
		assert.equal(again.status, 200);
	});

	test('admin login over TLS: the session cookie is Secure, HttpOnly, SameSite=Strict, and works', async (t) => {
		if (skip)
			return t.skip(skip);
		const add = await srv.cli(['admin', 'add', 'alice'], { input: `${PASSWORD}\n` });
		assert.equal(add.code, 0, add.stderr);
		const r = await curl(`${srv.url}/api/v1/admin/login`, ['-H', 'Content-Type: application/json',
		    '--data', JSON.stringify({ username: 'alice', password: PASSWORD })]);
		assert.equal(r.status, 200, r.body);
		const c = r.headers['set-cookie'].find((x) => x.startsWith('ita_session='));
		assert.ok(c, 'a session cookie');
		assert.match(c, /;\s*Secure(;|$)/i);
		assert.match(c, /;\s*HttpOnly(;|$)/i);
		assert.match(c, /;\s*SameSite=Strict(;|$)/i);
		const me = await curl(`${srv.url}/api/v1/admin/me`, ['-H', `Cookie: ${c.split(';')[0]}`]);
		assert.equal(me.status, 200, me.body);
		assert.equal(me.json.username ?? me.json.user, 'alice', me.body);
	});

	test('a response submitted over TLS is stored', async (t) => {
		if (skip)
			return t.skip(skip);
		const round = await createRound(srv, 'ita-2563-eit', { pub: true });
		const form = JSON.parse((await curl(`${srv.url}/api/v1/rounds/${round}/form`)).body);
		const r = await curl(`${srv.url}/api/v1/rounds/${round}/responses`, ['-H', 'Content-Type: application/json',
		    '--data', JSON.stringify({ submission_id: uuid(), answers: makeAnswers(form) })]);
		assert.equal(r.status, 201, r.body);
		assert.equal(await respondents(srv, round), 1);
	});

	test('plain HTTP to the TLS port gets no HTTP answer; the server stays up', async (t) => {
		if (skip)
			return t.skip(skip);
		const plain = srv.url.replace(/^https:/, 'http:');
		const r = await curl(`${plain}/healthz`);
		assert.notEqual(r.code, 0, 'curl fails');
		assert.equal(r.status, null);
		const again = await curl(`${srv.url}/healthz`);
		assert.equal(again.status, 200);
	});

	test('a client that does not trust the certificate is refused by curl (no -k)', async (t) => {
		if (skip)
			return t.skip(skip);
		const r = await run('curl', ['-sS', '--max-time', '10', `${srv.url}/healthz`]);
		assert.equal(r.code, 60, `curl exit ${r.code}: ${r.stderr}`);	// peer certificate cannot be verified
	});

	test('TLS 1.2 and 1.3 are offered', async (t) => {
		if (skip)
			return t.skip(skip);
		for (const v of ['-tls1_2', '-tls1_3']) {
			const r = await run('openssl', ['s_client', '-connect', srv.url.slice('https://'.length), v,
			    '-CAfile', cert], { input: '', timeout: 15000 });
			assert.equal(r.code, 0, `${v}: ${r.stderr}`);
			assert.match(r.stdout, /Verify return code: 0 \(ok\)/, v);
		}
	});

	test('TLS 1.0 and 1.1 are refused (RFC 8996)',
	    async (t) => {
		if (skip)
			return t.skip(skip);
		const got = [];
		for (const v of ['-tls1', '-tls1_1']) {
			const r = await run('openssl', ['s_client', '-connect', srv.url.slice('https://'.length), v,
			    '-cipher', 'DEFAULT@SECLEVEL=0'], { input: '', timeout: 15000 });
			const m = /^\s*Protocol\s*:\s*(\S+)/m.exec(r.stdout);
			if (r.code === 0 && m)
				got.push(`${v}: handshake done with ${m[1]}`);
		}
		assert.deepEqual(got, []);
	});
});

describe('TLS configuration errors are refused at start', () => {
	const serve = (args) => run(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(tmp, 'db'),
	    '--secret', path.join(tmp, 'secret.key'), '--forms', 'forms', '--web', 'web', '--migrations', 'migrations',
	    ...serveUser(args)], { timeout: 20000 });

	test('--tls-cert without --tls-key, and the reverse', async (t) => {
		if (skip)
			return t.skip(skip);
		for (const args of [['--tls-cert', cert], ['--tls-key', key]]) {
			const r = await serve(args);
			assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
			assert.equal(r.stdout, '');
			assert.match(r.stderr, /--tls-cert and --tls-key/);
		}
	});

	test('a missing certificate file, and a key that is not a key', async (t) => {
		if (skip)
			return t.skip(skip);
		const missing = path.join(tmp, 'no-such-cert.pem');
		let r = await serve(['--tls-cert', missing, '--tls-key', key]);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '');
		assert.ok(r.stderr.includes(missing), r.stderr);
		const junk = path.join(tmp, 'junk.pem');
		fs.writeFileSync(junk, 'not a key\n');
		r = await serve(['--tls-cert', cert, '--tls-key', junk]);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '');
	});

	test('a key that belongs to another certificate', async (t) => {
		if (skip)
			return t.skip(skip);
		const other = path.join(tmp, 'other-key.pem');
		const g = await run('openssl', ['genpkey', '-algorithm', 'RSA', '-out', other]);
		assert.equal(g.code, 0, g.stderr);
		const r = await serve(['--tls-cert', cert, '--tls-key', other]);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /do not match|mismatch/i);
	});
});

// A self-signed pair with common name cn, written to cert and key by
// rename, the way certbot or an administrator replaces them.
async function makePair(dir, cn, certPath, keyPath) {
	const c = path.join(dir, `${cn}.crt`), k = path.join(dir, `${cn}.key`);
	const g = await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
	    '-nodes', '-days', '1', '-subj', `/CN=${cn}`, '-keyout', k, '-out', c]);
	assert.equal(g.code, 0, g.stderr);
	fs.renameSync(c, certPath);
	fs.renameSync(k, keyPath);
}

// A TLS connection to url: {socket, cn} once the handshake is done.
function connect(url) {
	const u = new URL(url);
	return new Promise((resolve, reject) => {
		const socket = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false },
		    () => resolve({ socket, cn: socket.getPeerCertificate().subject?.CN }));
		socket.once('error', reject);
	});
}

// One keep-alive GET /healthz on socket; resolves the status.
function healthOn(socket) {
	return new Promise((resolve, reject) => {
		let got = '';
		const onData = (d) => {
			got += d;
			const m = /^HTTP\/1\.1 ([0-9]{3})[^]*?\r\n\r\n\{"status":"ok"\}/.exec(got);
			if (m) {
				socket.off('data', onData);
				resolve(Number(m[1]));
			}
		};
		socket.setEncoding('utf8');
		socket.on('data', onData);
		socket.once('close', () => reject(new Error(`closed; got ${JSON.stringify(got)}`)));
		socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
	});
}

// Resolves once the server's log has grown a line matching re.
async function logSays(s, re, ms = 10000) {
	for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 50)))
		if (re.test(s.stderr()))
			return;
	throw new Error(`the log never said ${re}:\n${s.stderr()}`);
}

test('SIGHUP: a renewed certificate for new connections, the open one kept, a broken one refused', async (t) => {
	if (skip)
		return t.skip(skip);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-hup-'));
	const c = path.join(dir, 'live-cert.pem'), k = path.join(dir, 'live-key.pem');
	await makePair(dir, 'first', c, k);
	const s = await startServer({ args: ['--tls-cert', c, '--tls-key', k] });
	let old;
	try {
		old = await connect(s.url);
		assert.equal(old.cn, 'first');
		assert.equal(await healthOn(old.socket), 200);

		await makePair(dir, 'second', c, k);
		process.kill(s.pid(), 'SIGHUP');
		await logSays(s, /SIGHUP: reloaded/);
		const fresh = await connect(s.url);
		assert.equal(fresh.cn, 'second', 'a new connection gets the new certificate');
		fresh.socket.destroy();
		assert.equal(await healthOn(old.socket), 200, 'the connection opened before still answers');
		assert.equal(old.socket.getPeerCertificate().subject.CN, 'first');

		// Broken files: the pair in use stays, and the log says why.
		fs.writeFileSync(c, 'not a certificate\n');
		process.kill(s.pid(), 'SIGHUP');
		await logSays(s, /kept the certificate in use/);
		assert.ok(s.stderr().includes(c), 'the log names the file');
		const still = await connect(s.url);
		assert.equal(still.cn, 'second');
		still.socket.destroy();
		assert.equal(await healthOn(old.socket), 200);
	} finally {
		old?.socket.destroy();
		await s.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('SIGHUP without TLS changes nothing', async () => {
	const s = await startServer();
	try {
		process.kill(s.pid(), 'SIGHUP');
		await logSays(s, /SIGHUP: no TLS certificate to reload/);
		const r = await run('curl', ['-sS', '--max-time', '5', `${s.url}/healthz`]);
		assert.equal(r.stdout, '{"status":"ok"}');
	} finally {
		await s.stop();
	}
});

test('without TLS the session cookie is not marked Secure, and no reply carries HSTS', async () => {
	const s = await startServer();
	try {
		const add = await s.cli(['admin', 'add', 'alice'], { input: `${PASSWORD}\n` });
		assert.equal(add.code, 0, add.stderr);
		const r = await post(`${s.url}/api/v1/admin/login`, { username: 'alice', password: PASSWORD });
		assert.equal(r.status, 200, r.text);
		const c = r.headers.getSetCookie().find((x) => x.startsWith('ita_session='));
		assert.ok(c);
		assert.doesNotMatch(c, /;\s*Secure/i);
		assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
	} finally {
		await s.stop();
	}
});
