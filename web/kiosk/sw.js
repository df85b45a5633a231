// SPDX-License-Identifier: ISC
// Service worker of the kiosk: keeps the kiosk's own page, scripts and styles
// so that a tablet that reloads or restarts while the network is down still
// opens the questionnaire (the form itself is cached in localStorage, the
// unsent answers in IndexedDB). Network first, the cache when it fails:
// an updated page is picked up as soon as the server answers.
// API calls are never touched.

// Every module kiosk.js imports, directly or not: a missing one would stop
// the page from starting offline. A new version name makes tablets that
// have the old list fetch the new one (activate drops the old cache).
const CACHE = 'ita-kiosk-shell-v2';
const SHELL = [
	'/kiosk/',
	'/css/base.css',
	'/css/kiosk.css',
	'/js/kiosk.js',
	'/js/eit-flow.js',
	'/js/api.js',
	'/js/i18n.js',
	'/js/strings.js',
	'/js/formdoc.js',
	'/js/queue.js',
	'/lib/dom.js',
	'/lib/http.js',
	'/lib/i18n.js',
];
const NET_TIMEOUT_MS = 6000;

self.addEventListener('install', (ev) => {
	ev.waitUntil(caches.open(CACHE)
	    .then((c) => c.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' }))))
	    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
	ev.waitUntil(caches.keys()
	    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ita-kiosk-shell-') && k !== CACHE)
		.map((k) => caches.delete(k))))
	    .then(() => self.clients.claim()));
});

function withTimeout(p, ms) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('timeout')), ms);
		p.then((v) => { clearTimeout(timer); resolve(v); },
		    (e) => { clearTimeout(timer); reject(e); });
	});
}

async function networkFirst(req) {
	const nav = req.mode === 'navigate';
	// Every /kiosk/ address (?idle=..., #key=...) is the same page.
	const key = nav ? '/kiosk/' : req;
	const cache = await caches.open(CACHE);
	try {
		const res = await withTimeout(fetch(req), NET_TIMEOUT_MS);
		if (res.ok && res.type === 'basic')
			cache.put(key, res.clone());
		return res;
	} catch (e) {
		const hit = await cache.match(key, { ignoreSearch: true });
		if (hit)
			return hit;
		throw e;
	}
}

self.addEventListener('fetch', (ev) => {
	const req = ev.request;
	const url = new URL(req.url);
	if (req.method !== 'GET' || url.origin !== self.location.origin ||
	    url.pathname.startsWith('/api/') || url.pathname === '/kiosk/sw.js')
		return;
	ev.respondWith(networkFirst(req));
});
