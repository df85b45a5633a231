// SPDX-License-Identifier: ISC
// /admin/: every round with its state, respondents against the minimum
// sample, access counts and the start / stop buttons (each asks first);
// and the form that creates a round, with no questionnaire chosen until
// the administrator picks one.  A viewer sees the list without the change
// controls.  On a phone the list is a stack of cards (admin.css).
// Archived rounds are listed only when "show archived" is ticked
// (?archived=1, kept in the address), marked as such.

import { $, api, boot, el, t, L, say, sayT, failed, onLang, fmtInt } from './common.js';
import { stateBadge, stateButton, confirmState, sampleProgress, kindLabel } from './widgets.js';

let me = null;
let forms = [];
let rounds = [];
let showArchived = new URLSearchParams(location.search).get('archived') === '1';

function accessCell(r) {
	if (r.audience === 'internal')
		return el('span', { class: 'small', text: t('rounds.codes', { i: fmtInt(r.tokens_issued), u: fmtInt(r.tokens_used) }) });
	return el('span', { class: 'small', text: t('rounds.kiosks', { k: fmtInt(r.kiosks) }) +
	    (r.public ? ` · ${t('rounds.public')}` : '') });
}

// The start / stop button of a round; none on a final round, which can
// never open again.
function actionCell(r) {
	if (!me.admin)
		return el('span', { class: 'muted small', text: t('viewer.readonly') });
	if (r.archived)
		return el('span', { class: 'muted small', text: t('tidy.rounds.restore') });
	if (r.final)
		return el('span', { class: 'muted small', text: '–' });
	const action = r.state !== 'open' ? 'open' : 'close';
	return stateButton(action, { class: `btn-sm${action === 'close' ? ' btn-ghost btn-danger' : ''}`,
	    'data-round': r.id,
	    'aria-label': t(action === 'open' ? 'round.open.aria' : 'round.close.aria', { title: r.title }),
	    onclick: () => setState(r, action) });
}

// A cell that names its column when the table is stacked as cards on a
// narrow screen (admin.css table.stack).
function cell(key, ...children) {
	return el('td', { 'data-label': t(key) }, ...children);
}

function render() {
	const body = $('rounds-body');
	if (rounds.length === 0) {
		body.replaceChildren(el('tr', null, el('td', { colspan: 5, class: 'empty', text: t('rounds.none') })));
		return;
	}
	body.replaceChildren(...rounds.map((r) => el('tr', { 'data-round': r.id },
	    el('td', { class: 'card-title' },
		el('a', { href: `/admin/round.html?id=${r.id}`, text: r.title }),
		el('div', { class: 'small muted' }, `#${r.id} `, kindLabel(r.instrument, r.audience),
		    r.archived ? [' ', el('span', { class: 'badge tidy-archived', text: t('tidy.badge.archived') })] : null)),
	    cell('rounds.col.state', stateBadge(r.state, r.final)),
	    cell('rounds.col.sample', sampleProgress(r.respondents, r.minimum),
		el('div', { class: 'small muted', text: r.population > 0 ?
		    t('rounds.population', { p: fmtInt(r.population) }) : t('rounds.population.none') })),
	    cell('rounds.col.access', accessCell(r)),
	    cell('rounds.col.actions', actionCell(r)))));
}

async function load() {
	const r = await api('GET', `/api/v1/admin/rounds${showArchived ? '?archived=1' : ''}`);
	if (!r.ok) {
		say($('list-msg'), r.message);
		return;
	}
	say($('list-msg'), '');
	rounds = r.data.rounds.slice().sort((a, b) => b.id - a.id);
	render();
}

// Opens or closes a round once the administrator has confirmed it.
async function setState(r, action) {
	if (!await confirmState(action, r.title))
		return;
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

// The questionnaires, none chosen until the administrator picks one (no
// form is a safe default: an IIT round made as an EIT one is a lost round).
function fillForms() {
	const sel = $('c-form');
	const keep = sel.value;
	sel.replaceChildren(el('option', { value: '', disabled: true, text: t('create.form.choose') }),
	    ...forms.map((f) => el('option', { value: f.id, text: `${f.instrument} — ${L(f.title)}` })));
	sel.value = keep && forms.some((f) => f.id === keep) ? keep : '';
	syncForm();
}

// The chosen form's whole title under the picker (the picker itself may
// cut a long title on a phone), and only rounds of external forms can be
// public.
function syncForm() {
	const f = forms.find((x) => x.id === $('c-form').value);
	const ext = f && f.audience === 'external';
	$('c-form').removeAttribute('aria-invalid');
	const hint = $('c-form-hint');
	if (f) {
		const audience = f.audience;
		delete hint.dataset.i18n;
		hint.textContent = `${f.instrument} · ${t(`aud.${audience}`)}: ${L(f.title)}`;
	} else {
		hint.dataset.i18n = 'create.form.hint';
		hint.textContent = t('create.form.hint');
	}
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
	if (!$('c-form').value) {
		$('c-form').setAttribute('aria-invalid', 'true');
		sayT(msg, 'create.err.form', null, 'err');
		$('c-form').focus();
		return;
	}
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
		$('c-form').addEventListener('change', syncForm);
		$('create-form').addEventListener('submit', create);
	}
	$('refresh').addEventListener('click', load);
	const toggle = $('tidy-show-archived');
	toggle.checked = showArchived;
	toggle.addEventListener('change', () => {
		showArchived = toggle.checked;
		const u = new URL(location.href);
		u.searchParams.delete('deleted');
		if (showArchived)
			u.searchParams.set('archived', '1');
		else
			u.searchParams.delete('archived');
		history.replaceState(null, '', u);
		load();
	});
	if (new URLSearchParams(location.search).get('deleted'))
		sayT($('tidy-list-msg'), 'tidy.deleted');
	onLang(() => { render(); if (me.admin) fillForms(); });
	await load();
	document.body.dataset.ready = '1';
}

main();
