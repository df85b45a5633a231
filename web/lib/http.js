// SPDX-License-Identifier: ISC
// The fetch wrapper of both apps for the ita-survey JSON API.  It never
// throws: every call resolves to a result the pages can turn into a message.
//
//   {ok, status, data, network, code, message, fields, retryAfter}
//
// ok is true for 2xx.  network is true when no HTTP answer came back
// (offline, server down, timeout).  On an error, code, message and fields
// come from the API's envelope {"error": {"code", "message", "fields"}};
// without one, code is "network", "server" (5xx) or "http_NNN", and
// retryAfter is the Retry-After header in seconds, or null.
//
// What differs between the apps is passed in: the respondent pages send
// no cookie at all (credentials 'omit'), the admin console sends its
// session cookie and an X-CSRF-Token header, and waits longer.

const DEFAULTS = {
	timeout: 20000,		// ms, the answer's body included
	credentials: 'omit',
	referrerPolicy: 'no-referrer',
};

// request(method, path, {body, headers, timeout, credentials,
// referrerPolicy, cache}): body is sent as JSON when given.  cache is
// fetch's: 'no-store' unless a call says otherwise ('no-cache' for the
// form document: the browser keeps it and asks with its ETag, a 304
// costs a few hundred bytes instead of the whole form).
export async function request(method, path, opts = {}) {
	const o = { ...DEFAULTS, ...opts };
	const headers = { Accept: 'application/json' };
	let body;
	if (o.body !== undefined) {
		headers['Content-Type'] = 'application/json; charset=utf-8';
		body = JSON.stringify(o.body);
	}
	Object.assign(headers, o.headers || {});
	const ctl = new AbortController();
	const timer = setTimeout(() => ctl.abort(), o.timeout || DEFAULTS.timeout);
	let res;
	try {
		res = await fetch(path, {
			method, headers, body,
			credentials: o.credentials,
			cache: o.cache || 'no-store',
			referrerPolicy: o.referrerPolicy,
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

// client(defaults): request() with an app's defaults.  defaults.headers
// may be a function of the method, for headers that only some requests
// carry (the admin's CSRF token on changes); a call's own headers win.
export function client(defaults) {
	return (method, path, opts = {}) => {
		const base = typeof defaults.headers === 'function' ?
		    defaults.headers(method) : defaults.headers;
		return request(method, path, {
			...defaults, ...opts,
			headers: { ...(base || {}), ...(opts.headers || {}) },
		});
	};
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
