// SPDX-License-Identifier: ISC
// The EIT kiosk: /kiosk/ on a tablet at a service counter.
//
// Pairing: /kiosk/#key=KEY (or the pairing form) checks the key with
// GET /api/v1/kiosk and keeps key, round and name in localStorage. The form
// is cached in localStorage and the page itself by a service worker, so the
// kiosk starts without the network. Finished questionnaires go through the
// IndexedDB outbox (queue.js). Idle time: ?idle=SECONDS (default 90).

import { $ } from '../lib/dom.js';
import { request, hashParams, clearHash, showScreen } from './api.js';
import { initLang, setLang, getLang, t, onLangChange } from './i18n.js';
import { createFlow } from './eit-flow.js';
import { Outbox } from './queue.js';

const LS_PAIR = 'ita-kiosk-pair';
const LS_FORM = 'ita-kiosk-form';

function numParam(name, def, min, max) {
	const v = new URLSearchParams(location.search).get(name);
	const n = Number(v);
	return v !== null && v !== '' && Number.isFinite(n) && n >= min && n <= max ? n : def;
}

const IDLE_SECONDS = numParam('idle', 90, 1, 86400);
const THANKS_SECONDS = numParam('thanks', 5, 1, 600);

let pairing = readJSON(LS_PAIR);
let counts = { pending: 0, failed: 0, failedCodes: [] };
let loadTimer = null;
let closed = false;

function readJSON(k) {
	try {
		const v = JSON.parse(localStorage.getItem(k) || 'null');
		return v && typeof v === 'object' ? v : null;
	} catch (e) {
		return null;
	}
}

function writeJSON(k, v) {
	try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* full or disabled */ }
}

const kioskAuth = (key) => ({ Authorization: `Kiosk ${key}` });

// A header value must be visible ASCII, or fetch throws.
const keyLooksValid = (k) => /^[\x21-\x7e]{1,256}$/.test(k);

// ---- outbox and the staff corner ----

const outbox = new Outbox({ onChange: (c) => { counts = c; renderCorner(); } });

function renderCorner() {
	const corner = $('staff-corner');
	corner.hidden = !pairing && counts.pending + counts.failed === 0;
	$('kiosk-name').textContent = pairing ? pairing.name || `#${pairing.id}` : '';
	$('staff-btn').hidden = !pairing;
	const q = $('queue-count');
	const parts = [];
	if (counts.pending)
		parts.push(t('queue.badge', { n: counts.pending }));
	if (counts.failed)
		parts.push(t('queue.failed', { n: counts.failed }));
	q.textContent = parts.join(' · ');
	q.dataset.pending = String(counts.pending);
	q.dataset.failed = String(counts.failed);
	q.hidden = parts.length === 0;
	q.classList.toggle('has-failed', counts.failed > 0);
	if ($('staff-dialog').open)
		renderStaff();
}

function renderStaff() {
	$('staff-kiosk').textContent = pairing ? t('staff.kiosk', { name: pairing.name || `#${pairing.id}`, round: pairing.round }) : '';
	$('staff-pending').textContent = t('staff.pending', { n: counts.pending });
	$('staff-failed').textContent = counts.failed
	    ? `${t('staff.failed', { n: counts.failed })} (${t('staff.failed.why', { codes: counts.failedCodes.join(', ') })})`
	    : '';
	$('staff-retry').hidden = counts.failed === 0;
}

function openStaff() {
	$('unpair-confirm').hidden = true;
	renderStaff();
	$('staff-dialog').showModal();
}

// ---- submitting: into the outbox first, then to the server ----

async function submit(answers, submissionId) {
	const p = pairing;
	if (!p)
		return { ok: false, key: 'pair.revoked', final: true };
	try {
		await outbox.add({ submission_id: submissionId, round: p.round, key: p.key, answers });
	} catch (e) {
		// No IndexedDB here (a locked-down browser): send directly.
		const r = await request('POST', `/api/v1/rounds/${p.round}/responses`, {
			headers: kioskAuth(p.key), body: { submission_id: submissionId, answers },
		});
		if (r.ok)
			return { ok: true };
		if (r.network)
			return { ok: false, key: 'err.network.kept' };
		if (r.status === 429)
			return { ok: false, key: 'err.rate_limited', vars: { s: r.retryAfter || 30 }, wait: r.retryAfter || 30 };
		if (r.status === 410)
			return { ok: false, key: 'err.round_closed', final: true };
		return { ok: false, key: 'err.server' };
	}
	outbox.kick();
	return { ok: true };
}

const flow = createFlow({
	root: $('flow'),
	idleSeconds: IDLE_SECONDS,
	thanksSeconds: THANKS_SECONDS,
	submit,
	onReset: () => setTimeout(backgroundRefresh, 0),
});

// ---- pairing ----

async function checkKey(key) {
	return request('GET', '/api/v1/kiosk', { headers: kioskAuth(key) });
}

function setPairing(key, data) {
	pairing = {
		key,
		round: data.round,
		id: data.kiosk && data.kiosk.id,
		name: data.kiosk && data.kiosk.name,
	};
	writeJSON(LS_PAIR, pairing);
	renderCorner();
}

async function pair(key) {
	key = String(key || '').trim();
	const msg = $('pair-msg');
	const status = $('pair-status');
	msg.textContent = '';
	showScreen('screen-pair', false);
	if (!key) {
		msg.textContent = t('pair.empty');
		$('pair-key').focus();
		return;
	}
	if (!keyLooksValid(key)) {
		msg.textContent = t('pair.forbidden');
		return;
	}
	$('pair-btn').disabled = true;
	status.textContent = t('pair.checking');
	const r = await checkKey(key);
	$('pair-btn').disabled = false;
	status.textContent = '';
	if (r.ok && r.data && r.data.round) {
		setPairing(key, r.data);
		$('pair-key').value = '';
		localStorage.removeItem(LS_FORM);
		showScreen('screen-loading', false);
		loadForm();
		return;
	}
	if (r.network)
		msg.textContent = t('err.network');
	else if (r.status === 403 || r.status === 401)
		msg.textContent = t('pair.forbidden');
	else
		msg.textContent = t('err.server');
}

function unpair(msgKey) {
	pairing = null;
	localStorage.removeItem(LS_PAIR);
	localStorage.removeItem(LS_FORM);
	clearTimeout(loadTimer);
	if ($('staff-dialog').open)
		$('staff-dialog').close();
	flow.reset();
	renderCorner();
	$('pair-msg').textContent = msgKey ? t(msgKey) : '';
	showScreen('screen-pair');
}

// ---- the form ----

async function loadForm() {
	clearTimeout(loadTimer);
	if (!pairing)
		return;
	const round = pairing.round;
	const r = await request('GET', `/api/v1/rounds/${round}/form`, { cache: 'no-cache' });
	if (!pairing || pairing.round !== round)
		return;
	const cached = readJSON(LS_FORM);
	const cachedForm = cached && cached.round === round ? cached.form : null;
	if (r.ok && r.data && Array.isArray(r.data.indicators)) {
		writeJSON(LS_FORM, { round, form: r.data });
		closed = false;
		flow.setForm(r.data);
		flow.start();
		return;
	}
	if (r.status === 410 || r.status === 404) {
		// Closed (or gone): say so, and look again now and then.
		closed = true;
		if (cachedForm) {
			flow.setForm(cachedForm);
			flow.start(r.status === 410 ? 'eit.closed' : 'err.not_found');
		} else {
			$('loading-msg').textContent = t(r.status === 410 ? 'eit.closed' : 'err.not_found');
			showScreen('screen-loading', false);
		}
		loadTimer = setTimeout(loadForm, 30000);
		return;
	}
	if (r.status === 403) {
		unpair('pair.revoked');
		return;
	}
	if (cachedForm) {
		// Offline start from the cached form.
		closed = false;
		flow.setForm(cachedForm);
		flow.start();
		return;
	}
	$('loading-msg').textContent = t('kiosk.noform');
	$('loading-retry').hidden = false;
	showScreen('screen-loading', false);
	loadTimer = setTimeout(loadForm, 10000);
}

// Between two people: pick up a new round or name, or a revoked key.
async function backgroundRefresh() {
	if (!pairing)
		return;
	const before = pairing.round;
	const r = await checkKey(pairing.key);
	if (!pairing)
		return;
	if (r.ok && r.data && r.data.round) {
		setPairing(pairing.key, r.data);
	} else if (r.status === 403) {
		if (flow.screen === 'screen-start')
			unpair('pair.revoked');
		return;
	}
	if (flow.screen === 'screen-start' && (pairing.round !== before || closed))
		loadForm();
}

// ---- start ----

function init() {
	initLang();
	onLangChange(() => {
		renderCorner();
		if (!$('screen-loading').hidden && $('loading-msg').textContent)
			$('loading-msg').textContent = t(closed ? 'eit.closed' : 'kiosk.noform');
	});
	for (const b of document.querySelectorAll('[data-lang-toggle]'))
		b.addEventListener('click', () => setLang(getLang() === 'th' ? 'en' : 'th'));

	$('pair-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		pair($('pair-key').value);
	});
	$('loading-retry').addEventListener('click', loadForm);
	$('staff-btn').addEventListener('click', openStaff);
	$('staff-close').addEventListener('click', () => $('staff-dialog').close());
	$('staff-send').addEventListener('click', () => outbox.kick());
	$('staff-retry').addEventListener('click', () => outbox.retryFailed());
	$('staff-unpair').addEventListener('click', () => {
		$('unpair-confirm').hidden = false;
		$('unpair-no').focus();
	});
	$('unpair-no').addEventListener('click', () => { $('unpair-confirm').hidden = true; });
	$('unpair-yes').addEventListener('click', () => unpair());

	outbox.start();
	renderCorner();

	if ('serviceWorker' in navigator)
		navigator.serviceWorker.register('/kiosk/sw.js', { scope: '/kiosk/' }).catch(() => {});

	setInterval(() => {
		if (pairing && flow.screen === 'screen-start')
			backgroundRefresh();
	}, 5 * 60 * 1000);

	const key = hashParams().get('key');
	clearHash();
	if (key) {
		pair(key);
	} else if (pairing) {
		showScreen('screen-loading', false);
		loadForm().then(() => backgroundRefresh());
	} else {
		showScreen('screen-pair', false);
	}
}

init();
