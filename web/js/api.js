// SPDX-License-Identifier: ISC
// A small wrapper around fetch for the ita-survey JSON API. It never throws:
// every call resolves to a result object the pages can turn into a message.
//
//   {ok, status, data, code, message, fields, retryAfter, network}
//
// ok is true for 2xx. network is true when no HTTP answer came back (offline,
// server down, timeout). code is the API error code ("token_used", ...), or
// "network" / "server" / "http_NNN" when the body carried none.

const TIMEOUT_MS = 20000;

export async function request(method, path, opts = {}) {
	const headers = { Accept: 'application/json' };
	let body;
	if (opts.body !== undefined) {
		headers['Content-Type'] = 'application/json; charset=utf-8';
		body = JSON.stringify(opts.body);
	}
	Object.assign(headers, opts.headers || {});
	const ctl = new AbortController();
	const timer = setTimeout(() => ctl.abort(), opts.timeout || TIMEOUT_MS);
	let res;
	try {
		res = await fetch(path, {
			method, headers, body,
			credentials: 'omit',
			cache: 'no-store',
			referrerPolicy: 'no-referrer',
			signal: ctl.signal,
		});
	} catch (e) {
		clearTimeout(timer);
		return { ok: false, status: 0, network: true, code: 'network',
			message: String(e && e.message || e) };
	}
	let data = null;
	try {
		const text = await res.text();
		data = text ? JSON.parse(text) : null;
	} catch (e) {
		data = null;
	} finally {
		clearTimeout(timer);
	}
	const out = { ok: res.ok, status: res.status, data, network: false };
	if (!res.ok) {
		const err = data && data.error;
		out.code = (err && err.code) ||
		    (res.status >= 500 ? 'server' : 'http_' + res.status);
		out.message = err && err.message;
		out.fields = err && err.fields;
		out.retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
	}
	return out;
}

// Seconds to wait from a Retry-After header (seconds or an HTTP date), or null.
export function parseRetryAfter(v) {
	if (!v)
		return null;
	if (/^\s*\d+\s*$/.test(v))
		return parseInt(v, 10);
	const when = Date.parse(v);
	if (Number.isNaN(when))
		return null;
	return Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

// A v4 UUID. crypto.randomUUID exists only in secure contexts (https or
// localhost); a kiosk on a plain-http LAN address gets one from
// crypto.getRandomValues, which works everywhere.
export function newUUID() {
	if (globalThis.crypto && typeof crypto.randomUUID === 'function')
		return crypto.randomUUID();
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Round id from ?round=, or null when missing or not a positive integer.
export function roundFromURL() {
	const v = new URLSearchParams(location.search).get('round');
	return parseRound(v);
}

export function parseRound(v) {
	if (v == null)
		return null;
	v = String(v).trim();
	if (!/^[0-9]{1,15}$/.test(v) || Number(v) < 1)
		return null;
	return Number(v);
}

// Reads "name=value" pairs from location.hash ("#code=...&x=y").
export function hashParams() {
	const h = location.hash.replace(/^#/, '');
	return new URLSearchParams(h);
}

// Drops the fragment from the address bar (and from history) so a secret
// carried in it is not left visible or bookmarked.
export function clearHash() {
	if (location.hash)
		history.replaceState(history.state, '', location.pathname + location.search);
}

// el(tag, attrs, ...children): builds a DOM element without innerHTML.
export function el(tag, attrs, ...children) {
	const e = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === null || v === undefined || v === false)
				continue;
			if (k === 'class')
				e.className = v;
			else if (k === 'text')
				e.textContent = v;
			else if (k.startsWith('on') && typeof v === 'function')
				e.addEventListener(k.slice(2), v);
			else if (v === true)
				e.setAttribute(k, '');
			else
				e.setAttribute(k, v);
		}
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false)
			continue;
		e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return e;
}

// show(id): unhides the section with that id and hides its siblings that are
// screens ([data-screen]); moves focus to its heading for screen readers.
export function showScreen(id, focus = true) {
	for (const s of document.querySelectorAll('[data-screen]'))
		s.hidden = s.id !== id;
	const scr = document.getElementById(id);
	if (focus && scr) {
		const h = scr.querySelector('h1, h2');
		if (h) {
			h.setAttribute('tabindex', '-1');
			h.focus({ preventScroll: true });
		}
		window.scrollTo(0, 0);
	}
}
