// SPDX-License-Identifier: ISC
// A private ita-survey daemon for a test: its own temporary folder holding
// the database and the secret, the repository's forms/, web/ and
// migrations/, a free port (--listen 127.0.0.1:0).
//
//   const srv = await startServer();
//   srv.url                  "http://127.0.0.1:PORT"
//   srv.dir, srv.db          the temporary folder, the database path
//   await srv.cli(args, {input})   runs the binary with the same common
//                            flags; resolves {code, stdout, stderr, out}
//                            (out: stdout as a Buffer); never throws on a
//                            non-zero exit
//   await srv.restart()      stop (exit 0 asserted) and serve again on the
//                            same folder; srv.url may change
//   await srv.kill9()        SIGKILL, no drain; restart() serves again
//   await srv.stop()         SIGTERM, wait, assert exit 0, remove the folder
//   srv.stderr()             everything the daemon wrote to stderr so far
//   srv.pid()                the daemon's process id (null when stopped)
//   srv.sigterm()            SIGTERM without waiting; resolves {code, sig,
//                            ms} at exit (stop() then only removes the folder)
//
// Options: startServer({args, env, db, init, prefix}): args are extra flags
// of "serve" only (e.g. ['--rate-limits', 'off']; with --tls-cert the first
// line must say https://; run as root, --user root is added unless args
// hold a --user); env extra environment variables of "serve" only (e.g.
// {ITA_SURVEY_PUBLIC_URL: ...}); db a database path instead of DIR/db (the
// caller removes it); init(dir) runs once the folder exists, before
// "migrate" (to put a database or a secret there, e.g. for a restore).
//
// Environment: ITA_BIN (default build/ita-survey, relative to the
// repository root); ITA_VALGRIND=1 runs the daemon under valgrind, whose
// errors (and definite leaks) make it exit 99, which stop() reports.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.ITA_BIN || 'build/ita-survey');
export const VALGRIND = process.env.ITA_VALGRIND === '1';

const START_TIMEOUT_MS = VALGRIND ? 60000 : 20000;
const STOP_TIMEOUT_MS = VALGRIND ? 90000 : 30000;
const CLI_TIMEOUT_MS = 120000;
const STDERR_MAX = 8 << 20;

export const PASSWORD = 'correct horse battery';

// serve refuses to run as root without --user.  Tests run as root keep
// root knowingly (--user root), unless the test passes its own --user.
export const AS_ROOT = process.geteuid?.() === 0 ? ['--user', 'root'] : [];
export const serveUser = (args) =>
    args.some((a) => a === '--user' || a.startsWith('--user=')) ? args : [...args, ...AS_ROOT];

// Crockford base32 in four groups of four: an access code as printed.
export const TOKEN_RE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

export const uuid = () => crypto.randomUUID();

// Run file with args from the repository root; resolves {code, signal,
// stdout, stderr, out}.  input (a string) is written to its stdin.
export function run(file, args, { input, env, timeout = CLI_TIMEOUT_MS } = {}) {
	return new Promise((resolve, reject) => {
		const p = spawn(file, args, { cwd: ROOT, env: { ...process.env, ...env },
		    stdio: ['pipe', 'pipe', 'pipe'] });
		const out = [], err = [];
		p.stdout.on('data', (d) => out.push(d));
		p.stderr.on('data', (d) => err.push(d));
		p.on('error', reject);
		const timer = setTimeout(() => p.kill('SIGKILL'), timeout);
		p.on('close', (code, signal) => {
			clearTimeout(timer);
			const buf = Buffer.concat(out);
			resolve({ code, signal, out: buf, stdout: buf.toString('utf8'),
			    stderr: Buffer.concat(err).toString('utf8') });
		});
		p.stdin.on('error', () => {});
		p.stdin.end(input ?? '');
	});
}

export async function startServer({ prefix = 'ita-http-', args: serveArgs = [], env: serveEnv, db: dbPath,
    init } = {}) {
	if (!fs.existsSync(BIN))
		throw new Error(`${BIN} is missing: run "make" first`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const db = dbPath ?? path.join(dir, 'db');
	const scheme = serveArgs.includes('--tls-cert') ? 'https' : 'http';
	const common = ['--db', db, '--secret', path.join(dir, 'secret.key'),
	    '--forms', 'forms', '--web', 'web', '--migrations', 'migrations'];
	const cli = (args, opts) => run(BIN, [...args, ...common], opts);

	let proc = null;
	let exited = null;
	let stderr = '';
	let stopped = false;
	const srv = { url: null, dir, db, cli, stderr: () => stderr };

	async function spawnServer() {
		const argv = ['serve', '--listen', '127.0.0.1:0', ...serveUser(serveArgs), ...common];
		const env = { ...process.env, ...serveEnv };
		proc = VALGRIND ?
		    spawn('valgrind', ['--quiet', '--error-exitcode=99', '--leak-check=full',
			'--errors-for-leak-kinds=definite', '--show-leak-kinds=definite', BIN, ...argv],
			{ cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }) :
		    spawn(BIN, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const p = proc;
		p.stderr.setEncoding('utf8');
		p.stderr.on('data', (d) => { stderr = (stderr + d).slice(-STDERR_MAX); });
		exited = new Promise((resolve) => p.once('exit', (code, sig) => resolve({ code, sig })));
		srv.url = await new Promise((resolve, reject) => {
			let out = '';
			const timer = setTimeout(() => {
				p.kill('SIGKILL');
				reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms; stderr:\n${stderr}`));
			}, START_TIMEOUT_MS);
			p.stdout.setEncoding('utf8');
			p.stdout.on('data', (d) => {
				out += d;
				const nl = out.indexOf('\n');
				if (nl === -1)
					return;
				clearTimeout(timer);
				const m = out.slice(0, nl).match(new RegExp(
				    `^listening on (${scheme}://127\\.0\\.0\\.1:[1-9][0-9]*)$`));
				if (m)
					resolve(m[1]);
				else
					reject(new Error(`first line of stdout is ${JSON.stringify(out.slice(0, nl))}`));
			});
			exited.then(({ code, sig }) => {
				clearTimeout(timer);
				reject(new Error(`server exited (${code ?? sig}) before listening; stderr:\n${stderr}`));
			});
		});
	}

	// SIGTERM and wait; the exit status must be 0 (a valgrind error gives
	// 99, an ASan report a non-zero status too).
	async function halt() {
		if (proc === null)
			return;
		const p = proc;
		proc = null;
		if (p.exitCode === null && p.signalCode === null)
			p.kill('SIGTERM');
		const t = setTimeout(() => p.kill('SIGKILL'), STOP_TIMEOUT_MS);
		const { code, sig } = await exited;
		clearTimeout(t);
		if (code !== 0)
			throw new Error(`server exited with ${code ?? sig} after SIGTERM` +
			    (code === 99 ? ' (valgrind found errors)' : '') +
			    `; stderr:\n${stderr.slice(-20000)}`);
	}

	srv.restart = async () => {
		await halt();
		await spawnServer();
	};
	srv.pid = () => proc?.pid ?? null;
	srv.sigterm = () => {
		if (proc === null)
			throw new Error('sigterm: the server is not running');
		const p = proc;
		proc = null;
		const t0 = Date.now();
		p.kill('SIGTERM');
		const t = setTimeout(() => p.kill('SIGKILL'), STOP_TIMEOUT_MS);
		return exited.then(({ code, sig }) => {
			clearTimeout(t);
			return { code, sig, ms: Date.now() - t0 };
		});
	};
	srv.kill9 = async () => {
		if (proc === null)
			return;
		const p = proc;
		proc = null;
		p.kill('SIGKILL');
		await exited;
	};
	srv.stop = async () => {
		if (stopped)
			return;
		stopped = true;
		try {
			await halt();
		} finally {
			if (!process.env.ITA_KEEP)
				fs.rmSync(dir, { recursive: true, force: true });
		}
	};

	try {
		if (init)
			await init(dir);
		const m = await cli(['migrate']);
		if (m.code !== 0)
			throw new Error(`migrate exited ${m.code}: ${m.stderr}`);
		await spawnServer();
	} catch (e) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw e;
	}
	return srv;
}

// ---- HTTP ----

// request(url, {method, body, headers}): body is sent as JSON unless it is
// a string or a Buffer.  Every request asks for "Connection: close" so that
// no idle keep-alive connection makes the daemon's drain wait at stop.
// Resolves {status, headers, buf, text, json} (json undefined if the body
// does not parse).
export async function request(url, { method = 'GET', body, headers = {} } = {}) {
	const h = { connection: 'close', ...headers };
	let data;
	if (body !== undefined) {
		if (typeof body === 'string' || Buffer.isBuffer(body))
			data = body;
		else
			data = JSON.stringify(body);
		if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type'))
			h['content-type'] = 'application/json';
	}
	const res = await fetch(url, { method, body: data, headers: h, redirect: 'manual' });
	const buf = Buffer.from(await res.arrayBuffer());
	const text = buf.toString('utf8');
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, buf, text, json };
}

// request() from a chosen local address (e.g. 127.0.0.2: the whole of
// 127.0.0.0/8 reaches a server on 127.0.0.1), through node:http since
// fetch cannot bind.  Same result as request().
export function requestFrom(localAddress, url, { method = 'GET', body, headers = {} } = {}) {
	const u = new URL(url);
	const h = { connection: 'close', ...headers };
	let data;
	if (body !== undefined) {
		data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
		if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type'))
			h['content-type'] = 'application/json';
		h['content-length'] = Buffer.byteLength(data);
	}
	return new Promise((resolve, reject) => {
		const rq = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method,
		    headers: h, localAddress, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => {
				const buf = Buffer.concat(chunks);
				const text = buf.toString('utf8');
				const hs = new Headers();
				for (let i = 0; i < res.rawHeaders.length; i += 2)
					hs.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, headers: hs, buf, text, json });
			});
			res.on('error', reject);
		});
		rq.on('error', reject);
		rq.end(data);
	});
}

export const get = (url, headers) => request(url, { headers });
export const post = (url, body, headers) => request(url, { method: 'POST', body, headers });

// A request whose path is sent byte for byte (fetch would normalise "..").
// Resolves {status, headers (plain object), text}.
export function rawRequest(base, rawPath, { method = 'GET', headers = {}, body } = {}) {
	const u = new URL(base);
	return new Promise((resolve, reject) => {
		const rq = http.request({ host: u.hostname, port: u.port, path: rawPath, method,
		    headers: { connection: 'close', ...headers }, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
			    text: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		rq.on('error', reject);
		rq.end(body);
	});
}

// rawHttp(base, chunks, {timeout, localAddress, gapMs}): open a TCP
// connection, write each chunk (strings or Buffers) byte for byte, gapMs
// apart, and read until the server closes (or timeout ms pass: then the
// socket is destroyed).  Resolves {status (null if no status line),
// headers (lower-case names), body (Buffer), raw (Buffer), closed (true
// when the server ended the connection), error (a socket error code)}.
export function rawHttp(base, chunks, { timeout = 10000, localAddress, gapMs = 0 } = {}) {
	const u = new URL(base);
	const list = Array.isArray(chunks) ? chunks : [chunks];
	return new Promise((resolve) => {
		const got = [];
		let closed = false, error = null, done = false;
		const sock = net.connect({ host: u.hostname, port: Number(u.port), localAddress });
		const finish = () => {
			if (done)
				return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			resolve(parseRaw(Buffer.concat(got), closed, error));
		};
		const timer = setTimeout(finish, timeout);
		sock.on('data', (d) => got.push(d));
		sock.on('end', () => { closed = true; finish(); });
		sock.on('close', () => { closed = true; finish(); });
		sock.on('error', (e) => { error = e.code ?? String(e); });
		sock.on('connect', async () => {
			for (const c of list) {
				if (done || sock.destroyed)
					return;
				sock.write(c);
				if (gapMs > 0)
					await new Promise((r) => setTimeout(r, gapMs));
			}
		});
	});
}

function parseRaw(raw, closed, error) {
	const r = { status: null, headers: {}, body: Buffer.alloc(0), raw, closed, error };
	const end = raw.indexOf('\r\n\r\n');
	const head = (end === -1 ? raw : raw.subarray(0, end)).toString('latin1');
	const m = /^HTTP\/1\.[01] ([0-9]{3})/.exec(head);
	if (m === null)
		return r;
	r.status = Number(m[1]);
	for (const line of head.split('\r\n').slice(1)) {
		const i = line.indexOf(':');
		if (i > 0)
			r.headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	if (end !== -1) {
		let body = raw.subarray(end + 4);
		if (/chunked/i.test(r.headers['transfer-encoding'] ?? '')) {
			const parts = [];
			for (let at = 0; at < body.length;) {
				const nl = body.indexOf('\r\n', at);
				if (nl === -1)
					break;
				const n = parseInt(body.subarray(at, nl).toString('latin1'), 16);
				if (!(n > 0))
					break;
				parts.push(body.subarray(nl + 2, nl + 2 + n));
				at = nl + 2 + n + 2;
			}
			body = Buffer.concat(parts);
		}
		r.body = body;
	}
	try {
		r.json = JSON.parse(r.body.toString('utf8'));
	} catch {
		r.json = undefined;
	}
	return r;
}

// ---- forms and answers ----

// The questions of a form document (GET .../form), in order, each with its
// item and indicator codes.
export function questions(form) {
	const qs = [];
	for (const ind of form.indicators)
		for (const it of ind.items)
			for (const q of it.questions)
				qs.push({ ...q, item: it.code, indicator: ind.code });
	return qs;
}

// The option values of scale code in a form document.
export function optionValues(form, scale) {
	return form.scales[scale].options.map((o) => o.value);
}

// makeAnswers(form, pick): a complete valid answer object.  pick is a
// function (question, optionValues, index) -> value, or an object of
// code -> value; a question pick leaves undefined gets its first option.
export function makeAnswers(form, pick = {}) {
	const answers = {};
	questions(form).forEach((q, i) => {
		const values = optionValues(form, q.scale);
		const v = typeof pick === 'function' ? pick(q, values, i) : pick[q.code];
		answers[q.code] = v === undefined ? values[0] : v;
	});
	return answers;
}

export async function getForm(srv, round) {
	const r = await get(`${srv.url}/api/v1/rounds/${round}/form`);
	if (r.status !== 200)
		throw new Error(`GET form of round ${round}: ${r.status} ${r.text}`);
	return r.json;
}

// ---- set-up through the command line ----

function firstLine(s) {
	return s.split('\n')[0];
}

async function cliOk(srv, args, opts) {
	const r = await srv.cli(args, opts);
	if (r.code !== 0)
		throw new Error(`ita-survey ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
	return r.stdout;
}

// A new round (open unless open: false); resolves its id as a number.
export async function createRound(srv, form, { title = 'HTTP test', population, pub = false,
    open = true } = {}) {
	const args = ['round', 'create', '--form', form, '--title', title];
	if (population !== undefined)
		args.push('--population', String(population));
	if (pub)
		args.push('--public');
	const out = await cliOk(srv, args);
	if (!/^[1-9][0-9]*\n$/.test(out))
		throw new Error(`round create printed ${JSON.stringify(out)}`);
	const id = Number(firstLine(out));
	if (open)
		await cliOk(srv, ['round', 'open', String(id)]);
	return id;
}

export const openRound = (srv, id) => cliOk(srv, ['round', 'open', String(id)]);
export const closeRound = (srv, id) => cliOk(srv, ['round', 'close', String(id)]);

export async function issueTokens(srv, round, count) {
	const out = await cliOk(srv, ['tokens', 'issue', '--round', String(round), '--count', String(count)]);
	const toks = out.split('\n').filter(Boolean);
	if (toks.length !== count)
		throw new Error(`tokens issue printed ${toks.length} lines, wanted ${count}`);
	return toks;
}

export async function addKiosk(srv, round, name) {
	return firstLine(await cliOk(srv, ['kiosk', 'add', '--round', String(round), '--name', name]));
}

export async function scores(srv, round) {
	return JSON.parse(await cliOk(srv, ['scores', '--round', String(round), '--json']));
}

// Rows of sqlite3 -json for query on database file db (the test's own
// look at what is stored; administrators see only stepped figures).
export async function sql(db, query) {
	// Wait for the server's write lock (the OIT watcher writes on its
	// own) rather than fail with "database is locked".
	const r = await run('sqlite3', ['-json', '-cmd', '.timeout 10000', db, query]);
	if (r.code !== 0)
		throw new Error(`sqlite3 ${query}: exit ${r.code}: ${r.stderr}`);
	return r.stdout.trim() === '' ? [] : JSON.parse(r.stdout);
}

// The exact number of responses stored for round, read from the database:
// every figure the server shows is rounded down to a multiple of min_cell.
export async function respondents(srv, round) {
	const [{ n }] = await sql(srv.db, `SELECT count(*) AS n FROM responses WHERE round_id = ${Number(round)}`);
	return n;
}

// n rounded down to a multiple of step: what the server shows of n.
export const stepped = (n, step) => n - (n % step);

// ---- admin ----

// Create the account (once per server) and log in.  Resolves {cookie,
// csrf, headers}, headers carrying the session cookie and the CSRF token.
export async function adminLogin(srv, user = 'alice', { role = 'admin', password = PASSWORD } = {}) {
	srv.accounts ??= new Set();
	if (!srv.accounts.has(user)) {
		const args = ['admin', 'add', user];
		if (role !== 'admin')
			args.push('--role', role);
		await cliOk(srv, args, { input: `${password}\n` });
		srv.accounts.add(user);
	}
	const r = await post(`${srv.url}/api/v1/admin/login`, { username: user, password });
	if (r.status !== 200)
		throw new Error(`login ${user}: ${r.status} ${r.text}`);
	const cookie = sessionCookie(r.headers);
	if (!cookie || typeof r.json.csrf_token !== 'string')
		throw new Error(`login ${user}: no session cookie or csrf_token`);
	return { cookie, csrf: r.json.csrf_token,
	    headers: { cookie: `ita_session=${cookie}`, 'x-csrf-token': r.json.csrf_token } };
}

// The ita_session value of a reply's Set-Cookie, or null.
export function sessionCookie(headers) {
	const sc = headers.getSetCookie ? headers.getSetCookie() : [headers.get('set-cookie')];
	for (const c of sc) {
		const m = /^ita_session=([^;]*)/.exec(c ?? '');
		if (m)
			return m[1];
	}
	return null;
}

// ---- assertions ----

// The error envelope of API.md, exactly: {"error": {"code", "message"}}
// (422 also carries "fields", inside "error" and, the same object, at the
// top level), JSON content type.
export function assertError(assert, r, status, code, what = '') {
	const ctx = `${what} -> ${r.status} ${r.text.slice(0, 300)}`;
	assert.equal(r.status, status, ctx);
	assert.match(r.headers.get('content-type') ?? '', /^application\/json(;|$)/, ctx);
	assert.ok(r.json && typeof r.json === 'object', ctx);
	assert.deepEqual(Object.keys(r.json), code === 'invalid_answers' ?
	    ['error', 'fields'] : ['error'], ctx);
	if (code === 'invalid_answers')
		assert.deepEqual(r.json.fields, r.json.error.fields, ctx);
	const keys = Object.keys(r.json.error).sort();
	assert.deepEqual(keys, code === 'invalid_answers' ? ['code', 'fields', 'message'] :
	    ['code', 'message'], ctx);
	assert.equal(r.json.error.code, code, ctx);
	assert.equal(typeof r.json.error.message, 'string', ctx);
	assert.ok(r.json.error.message.length > 0, ctx);
}
