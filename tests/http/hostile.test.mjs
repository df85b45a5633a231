// SPDX-License-Identifier: ISC
// Hostile input: malformed and malicious requests, each sent byte for
// byte over a raw socket, each with its exact status (and error code when
// the reply is ours): bad JSON, bad UTF-8, NUL bytes, huge bodies, deep
// nesting, huge numbers, duplicate keys, overflowing ids, path traversal,
// header abuse, SQL in every string field, odd methods and request lines,
// content types.  Afterwards the server is alive and healthy and nothing
// was stored.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, issueTokens, getForm, makeAnswers, addKiosk, adminLogin, respondents,
	post, get, rawHttp, run, uuid, assertError,
} from '../lib/server.mjs';

const EIT = 'ita-2563-eit';
const IIT = 'ita-2563-iit';
const SQL = "'; DROP TABLE responses;--";

let srv, eit, iit, eform, iform, tokens, kioskKey, admin, stored, baseline;

// What must not change: every table, and the rows a response would add.
async function snapshot() {
	const q = async (sql) => {
		const r = await run('sqlite3', ['-json', srv.db, sql]);
		assert.equal(r.code, 0, r.stderr);
		return JSON.parse(r.stdout || '[]');
	};
	return {
		tables: (await q("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((x) => x.name),
		responses: (await q('SELECT count(*) AS n FROM responses'))[0].n,
		submissions: (await q('SELECT count(*) AS n FROM submissions'))[0].n,
		counts: (await q('SELECT total(n) AS n FROM answer_counts'))[0].n,
		used: (await q('SELECT count(*) AS n FROM tokens WHERE used = 1'))[0].n,
		eit: await respondents(srv, eit),
		iit: await respondents(srv, iit),
	};
}

before(async () => {
	srv = await startServer();
	eit = await createRound(srv, EIT, { pub: true, title: 'hostile EIT' });
	iit = await createRound(srv, IIT, { title: 'hostile IIT' });
	tokens = await issueTokens(srv, iit, 2);
	kioskKey = await addKiosk(srv, eit, 'counter 1');
	eform = await getForm(srv, eit);
	iform = await getForm(srv, iit);
	admin = await adminLogin(srv);
	// One stored response, replayed below with odd content types.
	stored = { submission_id: uuid(), answers: makeAnswers(eform) };
	const r = await post(`${srv.url}/api/v1/rounds/${eit}/responses`, stored);
	assert.equal(r.status, 201, r.text);
	baseline = await snapshot();
});

after(async () => {
	await srv?.stop();
});

// ---- building raw requests ----

const b = (...parts) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p :
    Array.isArray(p) ? Buffer.from(p) : Buffer.from(p, 'latin1'))));
const utf8 = (s) => Buffer.from(s, 'utf8');

// A request with a Content-Length body (when body is given) and extra
// header lines (an array of "Name: value").
function req(method, target, body, headers = [], { ctype = 'application/json' } = {}) {
	const h = ['Host: 127.0.0.1', 'Connection: close', ...headers];
	let data = Buffer.alloc(0);
	if (body !== undefined) {
		data = Buffer.isBuffer(body) ? body : utf8(body);
		if (ctype !== null)
			h.push(`Content-Type: ${ctype}`);
		h.push(`Content-Length: ${data.length}`);
	}
	return b(`${method} ${target} HTTP/1.1\r\n${h.map((x) => `${x}\r\n`).join('')}\r\n`, data);
}

const chunk = (s) => b(`${Buffer.byteLength(s).toString(16)}\r\n`, utf8(s), '\r\n');
const chunked = (target, ...chunks) => b(`POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
    'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n', ...chunks, '0\r\n\r\n');

const RESP = () => `/api/v1/rounds/${eit}/responses`;
const IRESP = () => `/api/v1/rounds/${iit}/responses`;
const sid = () => uuid();
const good = () => JSON.stringify({ submission_id: sid(), answers: makeAnswers(eform) });
// A response body whose submission_id string holds the raw bytes given.
const withBytes = (bytes) => b('{"submission_id":"', bytes, `","answers":${JSON.stringify(makeAnswers(eform))}}`);
// A valid body but for question e1a: its key and value given as raw JSON
// text.
function answer(keyJson, valueJson) {
	const a = makeAnswers(eform);
	delete a.e1a;
	return `{"submission_id":"${sid()}","answers":${JSON.stringify(a).slice(0, -1)},${keyJson}:${valueJson}}}`;
}
const e1a = (valueJson) => answer('"e1a"', valueJson);
const session = () => [`Cookie: ita_session=${admin.cookie}`];
const csrf = () => [...session(), `X-CSRF-Token: ${admin.csrf}`];

// [what, () => raw request, status (or list of acceptable 4xx), error code
// (null: the reply is libmicrohttpd's own, not our JSON)].
const CASES = [
	// -- bad JSON
	['not JSON at all', () => req('POST', RESP(), 'hello'), 400, 'bad_json'],
	['an unterminated object', () => req('POST', RESP(), '{'), 400, 'bad_json'],
	['a missing value', () => req('POST', RESP(), '{"submission_id": }'), 400, 'bad_json'],
	['single quotes', () => req('POST', RESP(), "{'submission_id': 'x'}"), 400, 'bad_json'],
	['a trailing comma', () => req('POST', RESP(), `{"submission_id":"${sid()}","answers":{},}`), 400, 'bad_json'],
	['NaN', () => req('POST', RESP(), '{"submission_id":NaN}'), 400, 'bad_json'],
	['a comment', () => req('POST', RESP(), `/* x */${good()}`), 400, 'bad_json'],
	['a byte-order mark before the JSON', () => req('POST', RESP(), b([0xef, 0xbb, 0xbf], good())), 400, 'bad_json'],
	['two documents', () => req('POST', RESP(), `${good()}${good()}`), 400, 'bad_json'],
	['a urlencoded form', () => req('POST', RESP(), `submission_id=${sid()}&answers=x`, [],
	    { ctype: 'application/x-www-form-urlencoded' }), 400, 'bad_json'],
	// -- bad UTF-8
	['raw byte 0xff in a string', () => req('POST', RESP(), withBytes([0xff])), 400, 'bad_json'],
	['raw byte 0xff in a key', () => req('POST', RESP(), b('{"', [0xff], '":1}')), 400, 'bad_json'],
	['overlong "/" (c0 af)', () => req('POST', RESP(), withBytes([0xc0, 0xaf])), 400, 'bad_json'],
	['overlong "/" (e0 80 af)', () => req('POST', RESP(), withBytes([0xe0, 0x80, 0xaf])), 400, 'bad_json'],
	['a raw UTF-16 surrogate (ed a0 80)', () => req('POST', RESP(), withBytes([0xed, 0xa0, 0x80])), 400, 'bad_json'],
	['a code point above U+10FFFF', () => req('POST', RESP(), withBytes([0xf4, 0x90, 0x80, 0x80])), 400, 'bad_json'],
	['a truncated sequence', () => req('POST', RESP(), withBytes([0xe0, 0xa4])), 400, 'bad_json'],
	['an escaped lone high surrogate \\ud800', () => req('POST', RESP(),
	    `{"submission_id":"\\ud800","answers":{}}`), 400, 'bad_json'],
	['an escaped lone low surrogate \\udc00', () => req('POST', RESP(),
	    `{"submission_id":"${sid()}","answers":{"e1a":"\\udc00"}}`), 400, 'bad_json'],
	// -- NUL bytes
	['a raw NUL in a string', () => req('POST', RESP(), withBytes([0x61, 0x00])), 400, 'bad_json'],
	['a raw NUL after the document', () => req('POST', RESP(), b(good(), [0])), 400, 'bad_json'],
	['\\u0000 in an answer value', () => req('POST', RESP(), e1a('"1\\u0000"')), 400, 'bad_json'],
	['\\u0000 in an answer key', () => req('POST', RESP(), answer('"e1a\\u0000"', '"1"')), 400, 'bad_json'],
	['\\u0000 in a top-level key', () => req('POST', RESP(), `{"submission_id\\u0000":"${sid()}","answers":{}}`),
	    400, 'bad_json'],
	['\\u0000 in the access code', () => req('POST', IRESP(),
	    `{"submission_id":"${sid()}","token":"${tokens[0]}\\u0000","answers":${JSON.stringify(makeAnswers(iform))}}`),
	    400, 'bad_json'],
	// -- huge bodies
	['a 70 KiB body', () => req('POST', RESP(), good() + ' '.repeat(70 * 1024)), 413, 'payload_too_large'],
	['Content-Length: 10000000 with a small body', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\n` +
	    'Connection: close\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n', good()),
	    413, 'payload_too_large'],
	['a chunked body of 70 KiB', () => chunked(RESP(), chunk(good()), chunk(' '.repeat(35000)),
	    chunk(' '.repeat(35000))), 413, 'payload_too_large'],
	['a chunk size of 2^72', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
	    'Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n'), 413, null],
	['Content-Length: 2^64', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
	    'Content-Length: 18446744073709551616\r\n\r\n{}'), 413, null],
	// -- deep nesting
	['10,000 "["', () => req('POST', RESP(), '['.repeat(10000)), 400, 'bad_json'],
	['10,000 balanced "[]"', () => req('POST', RESP(), '['.repeat(10000) + ']'.repeat(10000)), 400, 'bad_json'],
	['10,000 nested objects', () => req('POST', RESP(), '{"a":'.repeat(10000)), 400, 'bad_json'],
	['an answer nested 1,000 deep', () => req('POST', RESP(), e1a('['.repeat(1000) + ']'.repeat(1000))),
	    422, 'invalid_answers'],
	['an answer holding 10,000 numbers', () => req('POST', RESP(),
	    e1a(`[${Array(10000).fill(1).join(',')}]`)), 422, 'invalid_answers'],
	['3,000 unknown questions', () => req('POST', RESP(), `{"submission_id":"${sid()}","answers":{` +
	    `${Array.from({ length: 3000 }, (_, i) => `"k${i}":"1"`).join(',')}}}`), 422, 'invalid_answers'],
	// -- huge numbers, duplicate keys
	['1e999', () => req('POST', RESP(), e1a('1e999')), 400, 'bad_json'],
	['-1e999', () => req('POST', RESP(), e1a('-1e999')), 400, 'bad_json'],
	['2^64 as submission_id', () => req('POST', RESP(), '{"submission_id":18446744073709551616,"answers":{}}'),
	    400, 'bad_json'],
	['2^63-1 as an answer', () => req('POST', RESP(), e1a('9223372036854775807')), 422, 'invalid_answers'],
	['-0 as an answer', () => req('POST', RESP(), e1a('-0')), 422, 'invalid_answers'],
	['1e-999 as an answer', () => req('POST', RESP(), e1a('1e-999')), 422, 'invalid_answers'],
	['a duplicate top-level key', () => req('POST', RESP(),
	    `{"submission_id":"${sid()}","submission_id":"${sid()}","answers":{}}`), 400, 'bad_json'],
	['a duplicate answer key', () => req('POST', RESP(), answer('"e1b"', '"1"')), 400, 'bad_json'],
	// -- ids in the path
	['round id 99999999999999999999', () => req('GET', '/api/v1/rounds/99999999999999999999/form'), 404, 'not_found'],
	['round id 2^64+1 (POST)', () => req('POST', '/api/v1/rounds/18446744073709551617/responses', good()),
	    404, 'not_found'],
	['round id 2^63-1', () => req('GET', '/api/v1/rounds/9223372036854775807/form'), 404, 'not_found'],
	['round id of 18 digits', () => req('GET', '/api/v1/rounds/999999999999999999/form'), 404, 'not_found'],
	['round id -1', () => req('GET', '/api/v1/rounds/-1/form'), 404, 'not_found'],
	['round id 0', () => req('GET', '/api/v1/rounds/0/form'), 404, 'not_found'],
	['round id 1e3', () => req('GET', '/api/v1/rounds/1e3/form'), 404, 'not_found'],
	['round id with SQL', () => req('GET', `/api/v1/rounds/1${encodeURIComponent(SQL)}/form`), 404, 'not_found'],
	['admin round id 99999999999999999999', () => req('GET', '/api/v1/admin/rounds/99999999999999999999',
	    undefined, session()), 404, 'not_found'],
	['kiosk id -1', () => req('PATCH', '/api/v1/admin/kiosks/-1', '{}', csrf()), 404, 'not_found'],
	// -- path traversal
	['raw ../../etc/passwd', () => req('GET', '/../../etc/passwd'), 404, 'not_found'],
	['%2e%2e/%2e%2e/etc/passwd', () => req('GET', '/%2e%2e/%2e%2e/etc/passwd'), 404, 'not_found'],
	['..%2f..%2fetc%2fpasswd', () => req('GET', '/..%2f..%2fetc%2fpasswd'), 404, 'not_found'],
	['%252e%252e (double-encoded)', () => req('GET', '/%252e%252e/README.md'), 404, 'not_found'],
	['backslashes', () => req('GET', '/admin/..\\..\\server/http.c'), 404, 'not_found'],
	['%5c backslashes', () => req('GET', '/%2e%2e%5c%2e%2e%5cREADME.md'), 404, 'not_found'],
	['a folder then ..', () => req('GET', '/css/../../README.md'), 404, 'not_found'],
	['.. inside an API path', () => req('GET', '/api/v1/rounds/1/../../../healthz'), 404, 'not_found'],
	['a hidden file', () => req('GET', '/.git/config'), 404, 'not_found'],
	['a double slash', () => req('GET', '//etc/passwd'), 404, 'not_found'],
	['%00 before an extension', () => req('GET', '/web/../../../../../../etc/passwd%00.html'), 404, 'not_found'],
	// -- headers and request lines
	['a 100 KiB header', () => req('GET', '/healthz', undefined, [`X-Big: ${'a'.repeat(100 * 1024)}`]), [413, 431], null],
	['2,000 headers', () => req('GET', '/healthz', undefined, Array.from({ length: 2000 }, (_, i) => `X-H${i}: v`)),
	    [413, 431], null],
	['a 3,000-byte path', () => req('GET', `/api/v1/${'a'.repeat(3000)}`), 414, 'uri_too_long'],
	['a 100 KiB path', () => req('GET', `/${'a'.repeat(100 * 1024)}`), [414, 431], null],
	['Content-Length: abc', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
	    'Content-Length: abc\r\n\r\n{}'), 400, null],
	['Content-Length: -5', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
	    'Content-Length: -5\r\n\r\n{}'), 400, null],
	['Content-Length: "2, 5"', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
	    'Content-Length: 2, 5\r\n\r\n{}'), 400, null],
	// Both: Transfer-Encoding wins (RFC 9112 6.3): the chunked "{}" is
	// read (400 bad_request, a field is missing), not the first 5 bytes
	// of the stream (which are not JSON: bad_json).
	['Transfer-Encoding: chunked and Content-Length', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\n` +
	    'Connection: close\r\nContent-Type: application/json\r\nContent-Length: 5\r\n' +
	    'Transfer-Encoding: chunked\r\n\r\n', chunk('{}'), '0\r\n\r\n'), 400, 'bad_request'],
	['a malformed chunk size', () => b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
	    'Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'), 400, null],
	['a header line without a colon', () => b('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
	    'NoColonHere\r\n\r\n'), 400, null],
	['HTTP/9.9', () => b('GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n'), 505, null],
	['the HTTP/2 preface', () => b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), 505, null],
	['TRACE', () => req('TRACE', '/healthz'), 405, 'method_not_allowed'],
	['TRACE on a page', () => req('TRACE', '/'), 405, 'method_not_allowed'],
	['CONNECT', () => req('CONNECT', '127.0.0.1:80'), 405, 'method_not_allowed'],
	['OPTIONS on the responses route', () => req('OPTIONS', RESP()), 405, 'method_not_allowed'],
	['OPTIONS *', () => req('OPTIONS', '*'), 405, 'method_not_allowed'],
	['DELETE on the responses route', () => req('DELETE', RESP()), 405, 'method_not_allowed'],
	['a made-up method', () => req('FOO', '/healthz'), 405, 'method_not_allowed'],
	['a lower-case method', () => req('get', '/healthz'), 405, 'method_not_allowed'],
	['an absolute-URI request line to an unknown round',
	    () => req('GET', `${srv.url}/api/v1/rounds/999999/form`), 404, 'not_found'],
	// -- SQL in every string field
	['SQL as the access code', () => req('POST', IRESP(), JSON.stringify({ submission_id: sid(), token: SQL,
	    answers: makeAnswers(iform) })), 403, 'forbidden'],
	['SQL as the code to check', () => req('POST', `/api/v1/rounds/${iit}/tokens/check`,
	    JSON.stringify({ token: SQL })), 403, 'forbidden'],
	['SQL as submission_id', () => req('POST', RESP(), JSON.stringify({ submission_id: SQL,
	    answers: makeAnswers(eform) })), 400, 'bad_request'],
	['SQL as an answer value', () => req('POST', RESP(), JSON.stringify({ submission_id: sid(),
	    answers: { ...makeAnswers(eform), e1a: SQL } })), 422, 'invalid_answers'],
	['SQL as a question code', () => req('POST', RESP(), JSON.stringify({ submission_id: sid(),
	    answers: { ...makeAnswers(eform), [SQL]: '1' } })), 422, 'invalid_answers'],
	['SQL as a top-level key', () => req('POST', RESP(), JSON.stringify({ submission_id: sid(),
	    answers: makeAnswers(eform), [SQL]: 1 })), 400, 'bad_request'],
	['SQL as the kiosk key (pairing)', () => req('GET', '/api/v1/kiosk', undefined, [`Authorization: Kiosk ${SQL}`]),
	    403, 'forbidden'],
	['SQL as the kiosk key (response)', () => req('POST', RESP(), good(), [`Authorization: Kiosk ${SQL}`]),
	    403, 'forbidden'],
	['SQL as user name and password', () => req('POST', '/api/v1/admin/login',
	    JSON.stringify({ username: SQL, password: SQL })), 401, 'unauthorized'],
	["a classic ' OR '1'='1 login", () => req('POST', '/api/v1/admin/login',
	    JSON.stringify({ username: "alice' --", password: "' OR '1'='1" })), 401, 'unauthorized'],
	['SQL as the session cookie', () => req('GET', '/api/v1/admin/rounds', undefined,
	    [`Cookie: ita_session=${SQL}`]), 401, 'unauthorized'],
	['SQL as the CSRF token', () => req('POST', `/api/v1/admin/rounds/${iit}/close`, undefined,
	    [...session(), `X-CSRF-Token: ${SQL}`]), 403, 'csrf'],
	['SQL in the export query', () => req('GET', `/api/v1/admin/rounds/${eit}/export?what=` +
	    `${encodeURIComponent(SQL)}&format=csv`, undefined, session()), 400, 'bad_request'],
	['SQL as a form id', () => req('POST', '/api/v1/admin/rounds', JSON.stringify({ form: SQL, title: 'x' }), csrf()),
	    422, 'unknown_form'],
	// -- content types: the body is JSON whatever the header says (a
	// replay of the stored response, so nothing new is stored)
	['Content-Type: text/plain', () => req('POST', RESP(), JSON.stringify(stored), [], { ctype: 'text/plain' }),
	    200, null],
	['no Content-Type', () => req('POST', RESP(), JSON.stringify(stored), [], { ctype: null }), 200, null],
	['Content-Type: multipart/form-data', () => req('POST', RESP(), JSON.stringify(stored), [],
	    { ctype: 'multipart/form-data; boundary=x' }), 200, null],
];

// The reply of rawHttp as the {status, headers.get, text, json} that
// assertError reads.
const asResponse = (r) => ({ status: r.status, headers: { get: (k) => r.headers[k.toLowerCase()] ?? null },
    text: r.body.toString('utf8'), json: r.json });

describe(`${CASES.length} hostile requests`, () => {
	test('at least 40 of them', () => {
		assert.ok(CASES.length >= 40);
	});
	for (const [what, make, status, code] of CASES) {
		test(what, async () => {
			const r = await rawHttp(srv.url, make(), { timeout: 15000 });
			const ctx = `${what} -> ${r.status} ${r.body.toString('utf8').slice(0, 200)}`;
			if (Array.isArray(status))
				assert.ok(status.includes(r.status), ctx);
			else
				assert.equal(r.status, status, ctx);
			assert.ok(r.closed, `${what}: the server closed the connection`);
			if (code !== null) {
				assertError(assert, asResponse(r), status, code, what);
				assert.equal(r.headers['x-content-type-options'], 'nosniff', ctx);
				assert.match(r.headers['content-security-policy'] ?? '', /default-src 'self'/, ctx);
			} else if (r.status === 200) {
				assert.deepEqual(r.json, { status: 'already_accepted' }, ctx);
			}
		});
	}
});

describe('SQL in names and titles is stored verbatim and harmlessly', () => {
	test('a round titled with SQL through the admin API', async () => {
		const r = await post(`${srv.url}/api/v1/admin/rounds`, { form: EIT, title: SQL }, admin.headers);
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.title, SQL);
		const g = await get(`${srv.url}/api/v1/admin/rounds/${r.json.id}`, admin.headers);
		assert.equal(g.status, 200, g.text);
		assert.equal(g.json.title, SQL);
	});

	test('a kiosk named with SQL through the admin API', async () => {
		const r = await post(`${srv.url}/api/v1/admin/rounds/${eit}/kiosks`, { name: SQL }, admin.headers);
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.kiosk.name, SQL);
		const k = await get(`${srv.url}/api/v1/kiosk`, { authorization: `Kiosk ${r.json.key}` });
		assert.equal(k.status, 200, k.text);
		assert.equal(k.json.kiosk.name, SQL);
	});

	test('a user name of SQL is refused by "admin add"', async () => {
		const r = await srv.cli(['admin', 'add', SQL], { input: 'a long enough password\n' });
		assert.notEqual(r.code, 0);
		assert.ok(r.stderr.length > 0);
	});
});

// Deviations found while writing the cases above (see the report to the
// lead): each states what a well-made server answers.
describe('known deviations', () => {
	test('an absolute-URI request line is served like its path (RFC 9112 3.2.2: a server MUST accept it)',
	    async () => {
		const r = await rawHttp(srv.url, req('GET', `${srv.url}/healthz`));
		assert.equal(r.status, 200, r.body.toString());
	});

	test('two different Content-Length headers are refused at once with 400 (RFC 9112 6.3)',
	    async () => {
		const r = await rawHttp(srv.url, b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
		    'Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 2\r\n\r\n{}'), { timeout: 3000 });
		assert.equal(r.status, 400, 'no answer within 3 s');
	});

	test('an unknown Transfer-Encoding is refused at once with 501 (RFC 9112 6.1)',
	    async () => {
		const r = await rawHttp(srv.url, b(`POST ${RESP()} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
		    'Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}'), { timeout: 3000 });
		assert.equal(r.status, 501, 'no answer within 3 s');
	});

	// libmicrohttpd 0.9.75 refuses a few requests itself, with its own
	// HTML page (README "Hardening", known limit): only the status is
	// ours to check.
	test('a header too big for the connection memory gets a 4xx from libmicrohttpd', async () => {
		const r = await rawHttp(srv.url, req('GET', '/healthz', undefined, [`X-Big: ${'a'.repeat(100 * 1024)}`]));
		assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
	});
});

test('after all that: alive, healthy, and nothing stored', async () => {
	const pid = srv.pid();
	assert.ok(pid !== null);
	process.kill(pid, 0);	// throws if the process is gone
	const h = await get(`${srv.url}/healthz`);
	assert.equal(h.status, 200);
	assert.deepEqual(h.json, { status: 'ok' });
	assert.deepEqual(await snapshot(), baseline);
	const i = await run('sqlite3', [srv.db, 'PRAGMA integrity_check']);
	assert.equal(i.stdout.trim(), 'ok');
	// The codes still work: none was spent or locked out by the batch.
	const r = await post(`${srv.url}${IRESP()}`, { submission_id: uuid(), token: tokens[1],
	    answers: makeAnswers(iform) });
	assert.equal(r.status, 201, r.text);
	assert.equal(await respondents(srv, iit), baseline.iit + 1);
});
