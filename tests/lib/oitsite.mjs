// SPDX-License-Identifier: ISC
// Stand-ins for the outside world of the OIT evidence desk: the agency's
// website (whose pages the server watches with libcurl) and the receivers
// of its alerts (a webhook and an SMTP server).  Everything listens on
// 127.0.0.1, port 0, and records what it saw.
//
//   const site = await startSite()            or startSite({tls: {cert, key}});
//                             {host} listens elsewhere (e.g. 127.0.0.2)
//   site.url                  "http://127.0.0.1:PORT" (https:// with tls)
//   site.setMode('/o1', 'down')   how a path answers from now on (default 'ok'):
//       ok        200 text/html, <title>Agency page</title>, ~4 KB of text
//                 (opts.body replaces what is inside <body>)
//       down      503            notfound   404
//       errorpage 200 whose page says 404 Not Found (a soft 404;
//                 opts.title another title)
//       small     200 text/html of ~100 bytes
//       redirect  302 to opts.location (absolute or relative)
//       hang      reads the request, never answers; the socket stays
//                 open until close()
//       large     200 application/pdf of opts.bytes bytes (default 3 MiB),
//                 streamed; byte i is the same on every run (largeByte)
//   site.hits('/o1')          requests to that path so far
//   site.log                  [{at, method, path, mode, status}], status 0
//                             for 'hang'; path is without the query string
//   await site.close()        destroys every socket, closes the server
//
//   const hook = await startWebhookSink()    hook.url; hook.events is
//       [{at, path, headers, body (parsed JSON, or null), raw}] per POST,
//       each answered 204
//   const smtp = await startSmtpSink()       smtp.url "smtp://127.0.0.1:PORT";
//       smtp.mails is [{at, from, to: [...], data, subject}], subject
//       decoded from RFC 2047 (=?UTF-8?B?...?=, =?UTF-8?Q?...?=)
//   makeCert(dir, days)      a self-signed certificate for 127.0.0.1 and
//       localhost (openssl): {cert, key, certPath, keyPath}
//   await waitFor(fn, {timeout, interval, what})   polls fn (may be async)
//       until it returns something truthy, which it resolves with

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

const HOST = '127.0.0.1';
const MODES = new Set(['ok', 'down', 'notfound', 'errorpage', 'small', 'redirect', 'hang', 'large']);
const LARGE_DEFAULT = 3 << 20;
const LARGE_HEAD = Buffer.from('%PDF-1.4\n', 'latin1');

// Byte i of a 'large' body: a PDF signature, then a fixed pattern.
export const largeByte = (i) => (i < LARGE_HEAD.length ? LARGE_HEAD[i] : i % 251);

function largeChunk(offset, len) {
	const b = Buffer.allocUnsafe(len);
	for (let i = 0; i < len; i++)
		b[i] = largeByte(offset + i);
	return b;
}

const PARAGRAPH = '<p>หน่วยงานเปิดเผยข้อมูลนี้ต่อสาธารณะตามแบบตรวจ OIT. ' +
    'The agency publishes this information for the public, as the OIT checklist asks.</p>\n';
const DEFAULT_BODY = PARAGRAPH.repeat(Math.ceil(4096 / Buffer.byteLength(PARAGRAPH)));

const page = (title, body) => '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">' +
    `<title>${title}</title></head>\n<body>\n${body}</body></html>\n`;

// Close a server after destroying the sockets it holds (kept in sockets).
function closer(server, sockets) {
	return () => new Promise((resolve) => {
		for (const s of sockets)
			s.destroy();
		server.close(() => resolve());
	});
}

function listen(server, host = HOST) {
	const sockets = new Set();
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve({ port: server.address().port, sockets }));
	});
}

export async function startSite({ tls, host = HOST } = {}) {
	const modes = new Map(); // path -> {mode, opts}
	const log = [];

	function handle(req, res) {
		const p = new URL(req.url, 'http://x').pathname;
		const { mode, opts } = modes.get(p) ?? { mode: 'ok', opts: {} };
		const entry = { at: Date.now(), method: req.method, path: p, mode, status: 0 };
		log.push(entry);
		req.resume(); // ignore any request body
		const send = (status, type, body, headers = {}) => {
			entry.status = status;
			const buf = Buffer.from(body);
			res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, ...headers });
			res.end(buf);
		};
		const html = 'text/html; charset=utf-8';
		switch (mode) {
		case 'ok':
			return send(200, html, page('Agency page', opts.body ?? DEFAULT_BODY));
		case 'down':
			return send(503, html, page('503 Service Unavailable', '<p>Service Unavailable</p>\n'));
		case 'notfound':
			return send(404, html, page('404 Not Found', '<p>Not Found</p>\n'));
		case 'errorpage':
			return send(200, html, page(opts.title ?? '404 Not Found',
			    '<p>ไม่พบหน้าที่ต้องการ / page not found</p>\n'));
		case 'small':
			return send(200, html, '<!DOCTYPE html>\n<html><head><title>Agency page</title></head>' +
			    '<body><p>Coming soon</p></body></html>\n');
		case 'redirect':
			return send(302, html, '', { Location: opts.location ?? '/' });
		case 'hang':
			return; // socket stays open until close()
		case 'large': {
			const total = opts.bytes ?? LARGE_DEFAULT;
			entry.status = 200;
			res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': total });
			if (req.method === 'HEAD')
				return res.end();
			let off = 0;
			const pump = () => {
				while (off < total && !res.destroyed) {
					const n = Math.min(65536, total - off);
					const ok = res.write(largeChunk(off, n));
					off += n;
					if (!ok)
						return res.once('drain', pump);
				}
				if (!res.destroyed)
					res.end();
			};
			return pump();
		}
		}
	}

	const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handle) :
	    http.createServer(handle);
	const { port, sockets } = await listen(server, host);
	return {
		url: `${tls ? 'https' : 'http'}://${host}:${port}`,
		host,
		port,
		log,
		setMode(p, mode, opts = {}) {
			if (!MODES.has(mode))
				throw new Error(`startSite: unknown mode "${mode}"`);
			modes.set(p, { mode, opts });
		},
		hits: (p) => log.filter((e) => e.path === p).length,
		close: closer(server, sockets),
	};
}

export async function startWebhookSink() {
	const events = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (d) => chunks.push(d));
		req.on('end', () => {
			if (req.method !== 'POST') {
				res.writeHead(405, { Allow: 'POST' });
				return res.end();
			}
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = JSON.parse(raw);
			} catch {
				// kept as raw only
			}
			events.push({ at: Date.now(), path: req.url, headers: req.headers, body, raw });
			res.writeHead(204);
			res.end();
		});
	});
	const { port, sockets } = await listen(server);
	return { url: `http://${HOST}:${port}`, events, close: closer(server, sockets) };
}

// RFC 2047: decode =?charset?B|Q?...?= words; adjacent words (only
// whitespace between them) are joined before decoding, so a character
// split across two words survives.
export function decodeMimeHeader(s) {
	const re = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
	let out = '', last = 0, pend = null; // pend: {charset, bufs} of adjacent words
	const flush = () => {
		if (pend) {
			const cs = pend.charset.toLowerCase().replace(/\*.*$/, '');
			const buf = Buffer.concat(pend.bufs);
			out += cs === 'utf-8' || cs === 'utf8' ? buf.toString('utf8') : buf.toString('latin1');
			pend = null;
		}
	};
	for (let m; (m = re.exec(s)) !== null; last = re.lastIndex) {
		const between = s.slice(last, m.index);
		if (!(pend && /^\s*$/.test(between))) {
			flush();
			out += between;
		}
		const bytes = m[2].toUpperCase() === 'B' ? Buffer.from(m[3], 'base64') :
		    Buffer.from(m[3].replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g,
			(_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
		if (pend && pend.charset.toLowerCase() !== m[1].toLowerCase())
			flush();
		pend ??= { charset: m[1], bufs: [] };
		pend.bufs.push(bytes);
	}
	flush();
	return out + s.slice(last);
}

// The Subject: header of a message (folded lines unfolded), decoded.
function subjectOf(data) {
	const head = data.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
	const m = head.match(/^subject:[ \t]*(.*)$/im);
	return m ? decodeMimeHeader(m[1].trim()) : null;
}

const addr = (arg) => {
	const m = arg.match(/<([^>]*)>/);
	return m ? m[1] : arg.trim().split(/\s+/)[0];
};

export async function startSmtpSink() {
	const mails = [];
	const server = net.createServer((sock) => {
		sock.setEncoding('utf8');
		const say = (line) => { if (!sock.destroyed) sock.write(line + '\r\n'); };
		let buf = '', inData = false, lines = [];
		let from = null, to = [];
		const reset = () => { from = null; to = []; };

		function command(line) {
			const [, verb = '', arg = ''] = line.match(/^(\S*)\s*(.*)$/);
			switch (verb.toUpperCase()) {
			case 'EHLO':
				reset();
				return say('250-localhost\r\n250 8BITMIME');
			case 'HELO':
				reset();
				return say('250 localhost');
			case 'MAIL':
				if (!/^from:/i.test(arg))
					return say('501 syntax: MAIL FROM:<address>');
				reset();
				from = addr(arg.slice(5));
				return say('250 OK');
			case 'RCPT':
				if (from === null)
					return say('503 need MAIL first');
				if (!/^to:/i.test(arg))
					return say('501 syntax: RCPT TO:<address>');
				to.push(addr(arg.slice(3)));
				return say('250 OK');
			case 'DATA':
				if (to.length === 0)
					return say('503 need RCPT first');
				inData = true;
				lines = [];
				return say('354 end data with <CR><LF>.<CR><LF>');
			case 'RSET':
				reset();
				return say('250 OK');
			case 'NOOP':
				return say('250 OK');
			case 'QUIT':
				say('221 bye');
				return sock.end();
			default:
				return say('502 command not implemented');
			}
		}

		sock.on('data', (d) => {
			buf += d;
			for (;;) {
				// Commands end at LF (a CR before it is dropped); the data
				// strictly at CRLF, as its end mark is CRLF . CRLF.
				const i = buf.indexOf(inData ? '\r\n' : '\n');
				if (i < 0)
					break;
				let line = buf.slice(0, i);
				buf = buf.slice(i + (inData ? 2 : 1));
				if (!inData) {
					command(line.replace(/\r$/, ''));
					continue;
				}
				if (line === '.') {
					inData = false;
					const data = lines.join('\r\n') + (lines.length ? '\r\n' : '');
					mails.push({ at: Date.now(), from, to, data, subject: subjectOf(data) });
					reset();
					say('250 OK: queued');
					continue;
				}
				if (line.startsWith('.'))
					line = line.slice(1); // undo dot-stuffing
				lines.push(line);
			}
		});
		sock.on('error', () => {});
		say('220 localhost ESMTP oitsite sink');
	});
	const { port, sockets } = await listen(server);
	return { url: `smtp://${HOST}:${port}`, host: HOST, port, mails, close: closer(server, sockets) };
}

// openssl writes DIR/cert.pem and DIR/key.pem (replacing earlier ones).
export function makeCert(dir, days = 30) {
	const certPath = path.join(dir, 'cert.pem');
	const keyPath = path.join(dir, 'key.pem');
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days),
	    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
	    '-keyout', keyPath, '-out', certPath], { stdio: ['ignore', 'ignore', 'pipe'] });
	return { cert: fs.readFileSync(certPath, 'utf8'), key: fs.readFileSync(keyPath, 'utf8'),
	    certPath, keyPath };
}

// An exception from fn is not retried: it rejects at once.
export async function waitFor(fn, { timeout = 20000, interval = 100, what = 'a condition' } = {}) {
	const end = Date.now() + timeout;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		if (Date.now() >= end)
			throw new Error(`waitFor: timed out after ${timeout} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, interval));
	}
}
