// SPDX-License-Identifier: ISC
// The public EIT page: /eit/?round=ID, for rounds created with --public
// (a QR poster, the agency's website). The same flow as the kiosk, without a
// kiosk key; the answers go straight to the server, and wait in this tab's
// sessionStorage until it has accepted them.

import { el, $ } from '../lib/dom.js';
import { request, roundFromURL, parseRound, showScreen } from './api.js';
import { initLang, setLang, getLang, t, onLangChange } from './i18n.js';
import { createFlow } from './eit-flow.js';

const round = roundFromURL();

function idleParam() {
	const v = new URLSearchParams(location.search).get('idle');
	const n = Number(v);
	return v && Number.isFinite(n) && n >= 1 && n <= 86400 ? n : null;
}

let loadMsg = null;

function showLoadMsg(key, extra) {
	loadMsg = key ? { key, extra } : null;
	const box = $('loading-msg');
	box.replaceChildren();
	$('loading-status').hidden = !!key;
	if (!key)
		return;
	box.append(el('p', { text: t(key) }));
	if (extra)
		box.append(extra());
}

async function submit(answers, submissionId) {
	const r = await request('POST', `/api/v1/rounds/${round}/responses`, {
		body: { submission_id: submissionId, answers },
	});
	if (r.ok)
		return { ok: true };
	if (r.network)
		return { ok: false, key: 'err.network.kept' };
	if (r.status === 429 || r.code === 'rate_limited') {
		const s = r.retryAfter || 30;
		return { ok: false, key: 'err.rate_limited', vars: { s }, wait: s };
	}
	switch (r.status) {
	case 403: return { ok: false, key: 'err.not_public', final: true };
	case 404: return { ok: false, key: 'err.not_found', final: true };
	case 410: return { ok: false, key: 'err.round_closed', final: true };
	case 400: case 413: return { ok: false, key: 'err.bad_request' };
	case 422: return { ok: false, key: 'err.invalid_answers' };
	}
	return { ok: false, key: 'err.server' };
}

let flow = null;

async function load() {
	$('loading-retry').hidden = true;
	showLoadMsg(null);
	showScreen('screen-loading', false);
	const r = await request('GET', `/api/v1/rounds/${round}/form`, { cache: 'no-cache' });
	if (r.ok && r.data && Array.isArray(r.data.indicators)) {
		if (r.data.audience === 'internal') {
			showLoadMsg('err.internal_form', () => el('p', null,
			    el('a', { href: `/respond/?round=${round}`, text: t('err.internal_link') })));
			return;
		}
		document.title = `${r.data.title && (r.data.title[getLang()] || r.data.title.th)} · ITA`;
		if (!flow) {
			flow = createFlow({
				root: $('flow'),
				idleSeconds: idleParam(),
				thanksSeconds: null,
				storageKey: `ita-eit-${round}`,
				submit,
			});
		}
		flow.setForm(r.data);
		flow.start();
		return;
	}
	if (r.network) {
		showLoadMsg('err.network');
		$('loading-retry').hidden = false;
	} else if (r.status === 404) {
		showLoadMsg('err.not_found');
	} else if (r.status === 410) {
		showLoadMsg('err.round_closed');
	} else if (r.status === 429) {
		showLoadMsg('err.server');
		$('loading-retry').hidden = false;
	} else {
		showLoadMsg('err.server');
		$('loading-retry').hidden = false;
	}
}

function init() {
	initLang({ persist: true });
	onLangChange(() => { if (loadMsg) showLoadMsg(loadMsg.key, loadMsg.extra); });
	for (const b of document.querySelectorAll('[data-lang-toggle]'))
		b.addEventListener('click', () => setLang(getLang() === 'th' ? 'en' : 'th'));
	$('loading-retry').addEventListener('click', load);
	$('round-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		const n = parseRound($('round-input').value);
		if (n === null) {
			$('round-msg').textContent = t('err.round_format');
			$('round-input').setAttribute('aria-invalid', 'true');
			$('round-input').focus();
			return;
		}
		location.search = `?round=${n}`;
	});
	if (round === null) {
		showScreen('screen-round', false);
		return;
	}
	load();
}

init();
