// SPDX-License-Identifier: ISC
// What the respondent pages share beyond ../lib/: the API client with
// their settings, ids, the round and the secret from the address, and the
// one-screen-at-a-time switch. request() never throws; see ../lib/http.js
// for the result it resolves to.

import { client } from '../lib/http.js';

// No cookie, no referrer: nothing about a respondent goes with a call.
export const request = client({ credentials: 'omit', referrerPolicy: 'no-referrer', timeout: 20000 });

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
