// SPDX-License-Identifier: ISC
// /admin/: every round with its state, respondents against the minimum
// sample, access counts and the open / close buttons; and the form that
// creates a round.  A viewer sees the list without the change controls.

import { $, api, boot, el, t, L, say, sayT, failed, onLang, fmtInt } from './common.js';
import { stateBadge, sampleProgress, kindLabel } from './widgets.js';

let me = null;
let forms = [];
let rounds = [];

function accessCell(r) {
	if (r.audience === 'internal')
		return el('span', { class: 'small', text: t('rounds.codes', { i: fmtInt(r.tokens_issued), u: fmtInt(r.tokens_used) }) });
	return el('span', { class: 'small', text: t('rounds.kiosks', { k: fmtInt(r.kiosks) }) +
	    (r.public ? ` · ${t('rounds.public')}` : '') });
}

function actionCell(r) {
	if (!me.admin)
		return el('span', { class: 'muted small', text: t('viewer.readonly') });
	const open = r.state !== 'open';
	return el('button', { type: 'button', class: `btn btn-sm ${open ? '' : 'btn-ghost btn-danger'}`,
	    'data-action': open ? 'open' : 'close', 'data-round': r.id,
	    'aria-label': t(open ? 'round.open.aria' : 'round.close.aria', { title: r.title }),
	    text: t(open ? 'round.open' : 'round.close'),
	    onclick: () => setState(r, open ? 'open' : 'close') });
}

function render() {
	const body = $('rounds-body');
	if (rounds.length === 0) {
		body.replaceChildren(el('tr', null, el('td', { colspan: 5, class: 'empty', text: t('rounds.none') })));
		return;
	}
	body.replaceChildren(...rounds.map((r) => el('tr', { 'data-round': r.id },
	    el('td', null,
		el('a', { href: `/admin/round.html?id=${r.id}`, text: r.title }),
		el('div', { class: 'small muted' }, `#${r.id} `, kindLabel(r.instrument, r.audience))),
	    el('td', null, stateBadge(r.state, r.final)),
	    el('td', null, sampleProgress(r.respondents, r.minimum),
		el('div', { class: 'small muted', text: r.population > 0 ?
		    t('rounds.population', { p: fmtInt(r.population) }) : t('rounds.population.none') })),
	    el('td', null, accessCell(r)),
	    el('td', null, actionCell(r)))));
}

async function load() {
	const r = await api('GET', '/api/v1/admin/rounds');
	if (!r.ok) {
		say($('list-msg'), r.message);
		return;
	}
	say($('list-msg'), '');
	rounds = r.data.rounds.slice().sort((a, b) => b.id - a.id);
	render();
}

async function setState(r, action) {
	const res = await api('POST', `/api/v1/admin/rounds/${r.id}/${action}`);
	if (!res.ok) {
		failed($('list-msg'), res);
		return;
	}
	await load();
	const btn = document.querySelector(`button[data-round="${r.id}"]`);
	if (btn)
		btn.focus();
}

function fillForms() {
	const sel = $('c-form');
	const keep = sel.value;
	sel.replaceChildren(...forms.map((f) => el('option', { value: f.id,
	    text: `${f.instrument} — ${L(f.title)}` })));
	if (keep)
		sel.value = keep;
	syncPublic();
}

// Only rounds of external forms can be public.
function syncPublic() {
	const f = forms.find((x) => x.id === $('c-form').value);
	const ext = f && f.audience === 'external';
	$('c-public').disabled = !ext;
	if (!ext)
		$('c-public').checked = false;
}

async function create(ev) {
	ev.preventDefault();
	const msg = $('create-msg');
	const title = $('c-title').value.trim();
	const popText = $('c-pop').value.trim();
	$('c-title').removeAttribute('aria-invalid');
	$('c-pop').removeAttribute('aria-invalid');
	if (!title) {
		$('c-title').setAttribute('aria-invalid', 'true');
		sayT(msg, 'create.err.title', null, 'err');
		$('c-title').focus();
		return;
	}
	const body = { form: $('c-form').value, title };
	if (popText !== '') {
		const p = Number(popText);
		if (!Number.isInteger(p) || p < 0 || p > 100000000) {
			$('c-pop').setAttribute('aria-invalid', 'true');
			sayT(msg, 'create.err.population', null, 'err');
			$('c-pop').focus();
			return;
		}
		body.population = p;
	}
	if ($('c-public').checked)
		body.public = true;
	$('create-btn').disabled = true;
	const r = await api('POST', '/api/v1/admin/rounds', body);
	$('create-btn').disabled = false;
	if (!r.ok) {
		failed(msg, r);
		return;
	}
	location.assign(`/admin/round.html?id=${r.data.id}&created=1`);
}

async function main() {
	me = await boot('rounds');
	if (!me)
		return;
	if (me.admin) {
		$('create-card').hidden = false;
		const fr = await api('GET', '/api/v1/admin/forms');
		if (fr.ok)
			forms = fr.data.forms;
		fillForms();
		$('c-form').addEventListener('change', syncPublic);
		$('create-form').addEventListener('submit', create);
	}
	$('refresh').addEventListener('click', load);
	onLang(() => { render(); if (me.admin) fillForms(); });
	await load();
	document.body.dataset.ready = '1';
}

main();
