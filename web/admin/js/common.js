// SPDX-License-Identifier: ISC
// What every admin page shares beyond ../../lib/: the API client (session
// cookie plus the X-CSRF-Token header from sessionStorage on every change),
// the language kept in localStorage, the top bar, messages, number and
// date formats, and the public address every printed or exported link
// starts with (publicBase()), and the confirmation dialog.
//
// The CSRF token lives in sessionStorage, not in a cookie, so that only
// script on our own pages can send it, and it goes when the tab closes.
// No page uses innerHTML for anything a person typed: el() builds nodes
// and sets text.

import { $, el } from '../../lib/dom.js';
import { client } from '../../lib/http.js';
import { createI18n } from '../../lib/i18n.js';
import { STRINGS } from './strings.js';

export { $, el };

const CSRF_KEY = 'ita-admin-csrf';
const LANG_KEY = 'ita-admin-lang';
const TIMEOUT_MS = 60000;	// exports and QR batches take a while

// ---- language ----

// An administrator's choice outlives the tab: the console is their own.
const i18n = createI18n({ strings: STRINGS, storageKey: LANG_KEY,
    storage: () => localStorage, titleSuffixKey: 'app.short' });

export const { t, getLang, setLang } = i18n;

// A {"th", "en"} label from the server in the current language.
export const L = i18n.pick;

// Fills every [data-i18n] (text) and [data-i18n-attr="attr:key;..."], and
// the <title data-title> as "title · ITA ผู้ดูแล".
export const applyI18n = i18n.apply;

// onLang(fn): fn() after every language switch.
export function onLang(fn) {
	i18n.onLangChange(() => fn());
}

// A button that switches ไทย / English; its own label names the other one.
export function langButton() {
	const b = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'lang-toggle' });
	const label = () => {
		const th = getLang() === 'th';
		b.textContent = th ? 'English' : 'ไทย';
		b.lang = th ? 'en' : 'th';
		b.setAttribute('aria-label', th ? 'Switch to English' : 'เปลี่ยนเป็นภาษาไทย');
	};
	label();
	b.addEventListener('click', () => setLang(getLang() === 'th' ? 'en' : 'th'));
	onLang(label);
	return b;
}

// ---- messages ----

// Sets a message region; kind "err" or "ok"; '' clears it.
export function say(node, text, kind = 'err') {
	delete node.dataset.i18n;
	delete node.dataset.i18nVars;
	node.className = `msg ${kind}`;
	node.textContent = text || '';
}

// As say(), with a label key, so that the message follows the language.
export function sayT(node, key, vars, kind = 'ok') {
	say(node, t(key, vars), kind);
	node.dataset.i18n = key;
	if (vars)
		node.dataset.i18nVars = JSON.stringify(vars);
}

// ---- numbers and dates ----

const locale = () => (getLang() === 'th' ? 'th-TH' : 'en-GB');

export const fmt2 = (v) => (typeof v === 'number' ? v.toFixed(2) : '–');
export const fmtInt = (v) => (typeof v === 'number' ? v.toLocaleString(locale()) : '–');

export function fmtTime(unix) {
	if (!unix)
		return '–';
	return new Date(unix * 1000).toLocaleString(locale(),
	    { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtDay(day) {
	if (!day)
		return t('never');
	const d = new Date(`${day}T00:00:00`);
	if (Number.isNaN(d.getTime()))
		return day;
	return d.toLocaleDateString(locale(), { dateStyle: 'medium' });
}

// Round id from ?id= (or ?round=), or null.
export function idFromURL(name = 'id') {
	const v = new URLSearchParams(location.search).get(name);
	return v && /^[1-9][0-9]{0,14}$/.test(v) ? Number(v) : null;
}

// ---- API ----

export const csrf = {
	get: () => sessionStorage.getItem(CSRF_KEY),
	set: (v) => sessionStorage.setItem(CSRF_KEY, v),
	clear: () => sessionStorage.removeItem(CSRF_KEY),
};

export function loginURL() {
	const next = location.pathname + location.search;
	return `/admin/login.html?next=${encodeURIComponent(next)}`;
}

// Where ?next= says to go after logging in or changing one's password:
// only a page under /admin/, else the rounds list.
export function nextPage() {
	const n = new URLSearchParams(location.search).get('next');
	return n && /^\/admin\/[A-Za-z0-9._/-]*(\?[A-Za-z0-9=&_.-]*)?$/.test(n) && !n.includes('//') ?
	    n : '/admin/';
}

// The page where one changes one's own password, coming back to next.
export function passwordURL(next = location.pathname + location.search) {
	return `/admin/password.html?next=${encodeURIComponent(next)}`;
}

const onPasswordPage = () => location.pathname.endsWith('/password.html');

const request = client({
	credentials: 'same-origin',
	referrerPolicy: 'no-referrer',
	timeout: TIMEOUT_MS,
	headers: (method) => (method !== 'GET' && csrf.get() ? { 'X-CSRF-Token': csrf.get() } : {}),
});

// api(method, path, body): never throws; resolves to ../../lib/http.js's
// result with message in the current language.  A 401 on any page but
// the login page sends the browser to the login page.
export async function api(method, path, body) {
	const r = await request(method, path, { body });
	if (r.network)
		return { ...r, message: t('err.network') };
	if (!r.ok) {
		r.message = errorText(r.code, r.message, r.status);
		if (r.status === 401 && !location.pathname.endsWith('/login.html')) {
			csrf.clear();
			location.assign(loginURL());
		}
		// A temporary password (set by an administrator) must be
		// replaced before anything else.
		if (r.code === 'password_change_required' && !onPasswordPage())
			location.assign(passwordURL());
	}
	return r;
}

// The server's messages are English and often name the round or field:
// English shows them; Thai shows our text for the code when there is one.
function errorText(code, serverMessage, status) {
	const key = `err.${code}`;
	if (getLang() === 'en' && serverMessage)
		return serverMessage;
	if (i18n.has(key))
		return t(key);
	if (serverMessage)
		return serverMessage;
	return t('err.status', { status });
}

// ---- the public address ----

// The session boot() read (GET /api/v1/admin/me), kept for publicBase().
let current = null;

// The address every link the console prints, shows, encodes in a QR code
// or exports starts with ("https://host[:port]", no trailing slash): the
// server's --public-url when set, else this page's own origin.  Only
// meaningful after boot().
export function publicBase() {
	return (current && current.public_url) || location.origin;
}

// 'loopback' or 'private' when hostname (as URL.hostname gives it, IPv6
// in brackets) is an address that phones and kiosks elsewhere cannot
// reach: localhost, *.localhost, 127/8, ::1, 0.0.0.0 (loopback); 10/8,
// 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10 (private).
// null for anything else, public host names included.
export function localHost(hostname) {
	const h = String(hostname).toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
	if (h === 'localhost' || h.endsWith('.localhost'))
		return 'loopback';
	let v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
	if (mapped) {
		const hi = parseInt(mapped[1], 16);
		const lo = parseInt(mapped[2], 16);
		v4 = [h, hi >> 8, hi & 255, lo >> 8, lo & 255];
	}
	if (v4) {
		const [a, b] = [Number(v4[1]), Number(v4[2])];
		if (a === 127 || a === 0)
			return 'loopback';
		if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
		    (a === 169 && b === 254))
			return 'private';
		return null;
	}
	if (!h.includes(':'))
		return null;
	if (h === '::1' || h === '::')
		return 'loopback';
	const first = h.startsWith('::') ? 0 : parseInt(h.split(':')[0], 16);
	if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80)
		return 'private';
	return null;
}

// addressWarning(base, configured): a warning box (role="alert") when the
// links would start with base, a loopback or private address, and no
// --public-url says that address is meant (configured false); else null.
// It says who cannot open such links, shows the address and the fix, in
// the current language (data-i18n, so a language switch relabels it).
export function addressWarning(base, configured, id) {
	if (configured)
		return null;
	let kind = null;
	try {
		kind = localHost(new URL(base).hostname);
	} catch (e) {
		kind = null;
	}
	if (!kind)
		return null;
	return el('div', { class: 'note warn addr-warn', id, role: 'alert' },
	    el('p', null, el('strong', { 'data-i18n': 'addr.warn.title', text: t('addr.warn.title') })),
	    el('p', { 'data-i18n': kind === 'loopback' ? 'addr.warn.loopback' : 'addr.warn.private',
		text: t(kind === 'loopback' ? 'addr.warn.loopback' : 'addr.warn.private') }),
	    el('p', null, el('span', { 'data-i18n': 'addr.warn.printed', text: t('addr.warn.printed') }), ' ',
		el('span', { class: 'addr', text: base })),
	    el('p', { 'data-i18n': 'addr.warn.fix', text: t('addr.warn.fix') }));
}

// The warning for this console's links (publicBase()), or null.
export function consoleAddressWarning(id) {
	return addressWarning(publicBase(), Boolean(current && current.public_url), id);
}

// ---- the top bar ----

const NAV = [
	['rounds', '/admin/', 'nav.rounds', false],
	['ita', '/admin/ita.html', 'nav.ita', false],
	['oit', '/admin/oit.html', 'nav.oit', false],
	['analysis', '/admin/analysis.html', 'nav.analysis', false],
	['measures', '/admin/measures.html', 'nav.measures', false],
	['audit', '/admin/audit.html', 'nav.audit', true],
	['accounts', '/admin/accounts.html', 'nav.accounts', true],
	['password', '/admin/password.html', 'nav.password', false],
	['settings', '/admin/settings.html', 'nav.settings', false],
];

// boot(page): language, login check, top bar.  Resolves to the session
// ({username, role, must_change}) or null after sending the browser to
// the login page, or to the password page while the password is a
// temporary one.
export async function boot(page) {
	applyI18n();
	const r = await api('GET', '/api/v1/admin/me');
	if (!r.ok) {
		if (r.status !== 401)
			fatal(r.message);
		return null;
	}
	const me = r.data;
	if (me.must_change && page !== 'password') {
		location.replace(passwordURL());
		return null;
	}
	me.admin = me.role === 'admin';
	current = me;
	document.body.dataset.role = me.role;
	topBar(me, page);
	applyI18n();
	return me;
}

function topBar(me, page) {
	const top = $('top');
	const nav = el('ul', { class: 'nav' });
	for (const [id, href, key, adminOnly] of NAV) {
		if (adminOnly && !me.admin)
			continue;
		nav.append(el('li', null, el('a', { href, 'data-i18n': key,
		    'aria-current': id === page ? 'page' : null })));
	}
	const logout = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'logout',
	    'data-i18n': 'logout', onclick: doLogout });
	top.replaceChildren(el('div', { class: 'top-inner' },
	    el('a', { class: 'brand', href: '/admin/', 'data-i18n': 'app.name' }),
	    el('nav', { 'aria-label': t('nav.label'), 'data-i18n-attr': 'aria-label:nav.label' }, nav),
	    el('div', { class: 'top-right' },
		el('span', { class: 'who' }, me.username,
		    el('span', { class: 'role-tag', id: 'role-tag', 'data-i18n': `role.${me.role}` })),
		langButton(), logout)));
}

async function doLogout() {
	await api('POST', '/api/v1/admin/logout');
	csrf.clear();
	location.assign('/admin/login.html');
}

// ---- confirmation ----

// confirmDialog({title, body, ok, cancel, danger, id}): a modal <dialog>
// that says what will happen (body: a string or an array of paragraphs)
// before a change that matters.  Resolves true when ok is pressed, false
// on cancel or Esc.  Focus starts on cancel, the choice that changes
// nothing, stays inside while it is open (showModal), and goes back to the
// control that asked when it closes.
export function confirmDialog({ title, body, ok, cancel = t('cancel'), danger = false, id = 'confirm' }) {
	return new Promise((resolve) => {
		const back = document.activeElement;
		const no = el('button', { type: 'button', class: 'btn btn-ghost', id: `${id}-cancel`, text: cancel });
		const yes = el('button', { type: 'button', class: `btn${danger ? ' btn-danger' : ''}`, id: `${id}-ok`,
		    text: ok });
		const dlg = el('dialog', { class: 'confirm', id, 'aria-labelledby': `${id}-title`,
		    'aria-describedby': `${id}-body` },
		    el('h2', { id: `${id}-title`, text: title }),
		    el('div', { id: `${id}-body` }, [].concat(body).map((p) => el('p', { text: p }))),
		    el('div', { class: 'btns' }, no, yes));
		let answer = false;
		yes.addEventListener('click', () => {
			answer = true;
			dlg.close();
		});
		no.addEventListener('click', () => dlg.close());
		dlg.addEventListener('close', () => {
			dlg.remove();
			if (back && back.isConnected && typeof back.focus === 'function')
				back.focus();
			resolve(answer);
		});
		document.body.append(dlg);
		dlg.showModal();
		no.focus();
	});
}

// A page that cannot go on: the message in place of main's content.
export function fatal(text) {
	const main = document.querySelector('main');
	main.replaceChildren(el('div', { class: 'card' },
	    el('p', { class: 'msg err', role: 'alert', text })));
}

// Shows the message of a failed change; a missing CSRF token (a tab
// opened without one) gets a way back to the login page.
export function failed(node, r) {
	say(node, r.message);
	if (r.code === 'csrf')
		node.append(' ', el('a', { href: loginURL(), text: t('login.again') }));
}

// Keeps the chosen language across pages even before the session check.
applyI18n();
