// SPDX-License-Identifier: ISC
// The staff questionnaire (IIT): /respond/?round=ID#code=XXXX-XXXX-XXXX-XXXX
//
// Screens: entry (privacy notice, round, access code) -> questionnaire ->
// review -> thank you. Answers, the code and the submission id stay in this
// tab's sessionStorage until the server has accepted the response, so a
// reload or a network failure loses nothing; they are wiped after success.

import { el, $ } from '../lib/dom.js';
import { request, newUUID, roundFromURL, parseRound, hashParams, clearHash, showScreen } from './api.js';
import { initLang, setLang, getLang, t, pick, onLangChange } from './i18n.js';
import { questions, options, sameText, cleanAnswers } from './formdoc.js';

const SKEY = 'ita-respond';

const state = {
	round: null,		// round id
	token: null,		// normalised access code, once checked
	form: null,		// form document
	answers: {},		// question code -> option value
	submissionId: null,	// made once per filled questionnaire
	missing: new Set(),	// question codes flagged as missing
	busy: false,
};

// ---- storage (this tab only) ----

function save() {
	try {
		sessionStorage.setItem(SKEY, JSON.stringify({
			round: state.round, token: state.token,
			answers: state.answers, submissionId: state.submissionId,
		}));
	} catch (e) { /* private mode: memory is enough */ }
}

function restore() {
	try {
		const s = JSON.parse(sessionStorage.getItem(SKEY) || 'null');
		return s && typeof s === 'object' ? s : null;
	} catch (e) {
		return null;
	}
}

function forget() {
	try { sessionStorage.removeItem(SKEY); } catch (e) { /* ignore */ }
}

// ---- access codes ----

// Crockford base32: case-insensitive, hyphens and spaces ignored, O read as
// 0 and I, L as 1. Returns "XXXX-XXXX-XXXX-XXXX" or null.
export function normToken(s) {
	s = String(s || '').toUpperCase().replace(/[\s-]/g, '')
	    .replace(/O/g, '0').replace(/[IL]/g, '1');
	if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(s))
		return null;
	return s.match(/.{4}/g).join('-');
}

// ---- messages that follow the language switch ----

const msgs = {};

function setMsg(id, key, vars, extra) {
	msgs[id] = key ? { key, vars, extra } : null;
	renderMsg(id);
}

function renderMsg(id) {
	const box = $(id);
	const m = msgs[id];
	box.replaceChildren();
	if (!m)
		return;
	box.append(el('p', { text: t(m.key, m.vars) }));
	if (m.extra)
		box.append(m.extra());
}

// The message key for a failed API call.
function errKey(r, ctx) {
	if (r.network)
		return ctx === 'submit' ? 'err.network.kept' : 'err.network';
	switch (r.code) {
	case 'forbidden': return 'err.forbidden';
	case 'token_used': return 'err.token_used';
	case 'not_found': return 'err.not_found';
	case 'round_closed': return 'err.round_closed';
	case 'rate_limited': return 'err.rate_limited';
	case 'invalid_answers': return 'err.invalid_answers';
	case 'bad_json': case 'bad_request': return 'err.bad_request';
	}
	switch (r.status) {
	case 400: case 413: return 'err.bad_request';
	case 403: return 'err.forbidden';
	case 404: return 'err.not_found';
	case 409: return 'err.token_used';
	case 410: return 'err.round_closed';
	case 422: return 'err.invalid_answers';
	case 429: return 'err.rate_limited';
	}
	return 'err.server';
}

// ---- the form document ----

async function loadForm(round) {
	if (state.form && state.form.round === round)
		return { ok: true };
	const r = await request('GET', `/api/v1/rounds/${round}/form`, { cache: 'no-cache' });
	if (!r.ok || !r.data || !Array.isArray(r.data.indicators))
		return r.ok ? { ok: false, status: 500, code: 'server' } : r;
	state.form = r.data;
	if (state.form.round === undefined)
		state.form.round = round;
	showFormTitle();
	return { ok: true };
}

function showFormTitle() {
	const p = $('entry-form-title');
	if (state.form) {
		p.textContent = pick(state.form.title);
		p.hidden = false;
		document.title = `${pick(state.form.title)} · ITA`;
	}
}

function externalExtra() {
	return el('p', null, el('a', { href: `/eit/?round=${state.round}`, text: t('err.external_link') }));
}

// ---- entry screen ----

async function onEntrySubmit(ev) {
	ev.preventDefault();
	if (state.busy)
		return;
	const roundInput = $('round-input');
	const codeInput = $('code-input');
	roundInput.removeAttribute('aria-invalid');
	codeInput.removeAttribute('aria-invalid');
	setMsg('entry-msg', null);

	const round = state.roundFromURL || parseRound(roundInput.value);
	if (round === null) {
		roundInput.setAttribute('aria-invalid', 'true');
		setMsg('entry-msg', 'err.round_format');
		roundInput.focus();
		return;
	}
	const token = normToken(codeInput.value);
	if (token === null) {
		codeInput.setAttribute('aria-invalid', 'true');
		setMsg('entry-msg', 'err.code_format');
		codeInput.focus();
		return;
	}
	codeInput.value = token;

	state.busy = true;
	const btn = $('start-btn');
	btn.disabled = true;
	setMsg('entry-info', 'entry.checking');
	try {
		if (state.round !== round) {
			state.round = round;
			state.form = null;
		}
		const r = await request('POST', `/api/v1/rounds/${round}/tokens/check`, { body: { token } });
		if (!r.ok) {
			setMsg('entry-info', null);
			if (r.code === 'forbidden' || r.code === 'token_used' || r.status === 403 || r.status === 409)
				codeInput.setAttribute('aria-invalid', 'true');
			setMsg('entry-msg', errKey(r, 'check'), { s: r.retryAfter || 30 });
			(codeInput.getAttribute('aria-invalid') ? codeInput : btn).focus();
			return;
		}
		const f = await loadForm(round);
		setMsg('entry-info', null);
		if (!f.ok) {
			setMsg('entry-msg', errKey(f, 'check'), { s: f.retryAfter || 30 });
			return;
		}
		if (state.form.audience === 'external') {
			setMsg('entry-msg', 'err.external_form', null, externalExtra);
			return;
		}
		state.token = token;
		if (!state.submissionId)
			state.submissionId = newUUID();
		state.answers = cleanAnswers(state.form, state.answers);
		save();
		if (!state.roundFromURL)
			history.replaceState(null, '', `${location.pathname}?round=${round}`);
		renderForm();
		showScreen('screen-form');
	} finally {
		state.busy = false;
		btn.disabled = false;
	}
}

// ---- questionnaire screen ----

function renderForm() {
	const f = state.form;
	const all = questions(f);
	$('form-title').textContent = pick(f.title);
	$('form-intro').textContent = t('form.intro', { n: all.length });

	const root = $('questions');
	root.replaceChildren();
	let part = null;
	let lastInd = null;
	let lastItem = null;
	let itemBox = null;
	let partNo = 0;
	for (const e of all) {
		if (e.indicator !== lastInd) {
			partNo++;
			lastInd = e.indicator;
			const hid = `part-${partNo}`;
			part = el('section', { class: 'part', 'aria-labelledby': hid },
			    el('h2', { id: hid, text: t('form.part', { n: partNo, name: pick(e.indicator.name) }) }));
			root.append(part);
		}
		if (e.item !== lastItem) {
			lastItem = e.item;
			const stemShown = !(e.subCount === 1 && (!e.q.text || sameText(e.q.text, e.item.text)));
			if (stemShown) {
				const sid = `item-${e.item.code}`;
				itemBox = el('div', { class: 'item', role: 'group', 'aria-labelledby': sid },
				    el('p', { class: 'item-text', id: sid },
					el('span', { class: 'num', text: `${e.itemNo}.` }), pick(e.item.text)));
			} else {
				itemBox = el('div', { class: 'item' });
			}
			part.append(itemBox);
		}
		itemBox.append(renderQuestion(e));
	}
	updateProgress();
	for (const code of state.missing)
		markMissing(code, true);
}

function renderQuestion(e) {
	const { q } = e;
	const single = e.subCount === 1;
	const fid = `q-${q.code}`;
	const legend = el('legend', null);
	if (!single || !(q.text && !sameText(q.text, e.item.text)))
		legend.append(el('span', { class: 'num', text: single ? `${e.itemNo}.` : e.number }));
	legend.append(pick(single && (!q.text || sameText(q.text, e.item.text)) ? e.item.text : q.text));
	if (q.required) {
		legend.append(el('span', { class: 'req', 'aria-hidden': 'true', text: '*' }),
		    el('span', { class: 'visually-hidden', text: ' ' + t('form.required') }));
	}
	const opts = options(state.form, q);
	const box = el('div', { class: `options n${opts.length}` });
	for (const o of opts) {
		const id = `a-${q.code}-${o.value}`;
		const input = el('input', { type: 'radio', name: q.code, value: o.value, id });
		if (state.answers[q.code] === o.value)
			input.checked = true;
		box.append(el('label', { class: 'opt', for: id }, input, el('span', { text: pick(o.label) })));
	}
	const err = el('p', { class: 'q-error', id: `err-${q.code}`, hidden: true, text: t('form.missing.one') });
	return el('fieldset', { class: 'q', id: fid, 'data-code': q.code, 'data-number': e.number },
	    legend, err, box);
}

function updateProgress() {
	const all = questions(state.form);
	const n = all.length;
	const k = all.filter((e) => state.answers[e.q.code] !== undefined).length;
	const p = $('progress');
	p.max = n || 1;
	p.value = k;
	$('progress-label').textContent = t('form.progress', { k, n });
}

function markMissing(code, on) {
	const fs = $(`q-${code}`);
	if (!fs)
		return;
	fs.classList.toggle('missing', on);
	const err = $(`err-${code}`);
	err.hidden = !on;
	if (on)
		fs.setAttribute('aria-describedby', err.id);
	else
		fs.removeAttribute('aria-describedby');
	if (on)
		state.missing.add(code);
	else
		state.missing.delete(code);
}

function onAnswer(ev) {
	const input = ev.target;
	if (input.type !== 'radio')
		return;
	state.answers[input.name] = input.value;
	save();
	updateProgress();
	if (state.missing.has(input.name)) {
		markMissing(input.name, false);
		if (state.missing.size === 0)
			setMsg('form-msg', null);
	}
}

function focusQuestion(code) {
	const fs = $(`q-${code}`);
	if (!fs)
		return;
	fs.scrollIntoView({ block: 'center' });
	const target = fs.querySelector('input:checked') || fs.querySelector('input');
	if (target)
		target.focus({ preventScroll: true });
}

// Flags every unanswered required question; returns their codes.
function checkRequired() {
	const missing = [];
	for (const e of questions(state.form)) {
		const has = state.answers[e.q.code] !== undefined;
		markMissing(e.q.code, e.q.required && !has);
		if (e.q.required && !has)
			missing.push(e);
	}
	return missing;
}

function missingLinks(list) {
	const MAX = 12;
	return () => el('p', { class: 'missing-links' }, list.slice(0, MAX).flatMap((e, i) => [
		i ? ', ' : '',
		el('a', { href: `#q-${e.q.code}`, onclick: (ev) => { ev.preventDefault(); focusQuestion(e.q.code); }, text: e.number }),
	]), list.length > MAX ? ' …' : '');
}

function onReview() {
	const missing = checkRequired();
	if (missing.length) {
		setMsg('form-msg', 'form.missing.summary', { n: missing.length }, missingLinks(missing));
		focusQuestion(missing[0].q.code);
		return;
	}
	setMsg('form-msg', null);
	renderReview();
	resetSubmitUI();
	showScreen('screen-review');
}

// ---- review screen ----

function renderReview() {
	const list = $('review-list');
	list.replaceChildren();
	let ul = null;
	let lastInd = null;
	let partNo = 0;
	for (const e of questions(state.form)) {
		if (e.indicator !== lastInd) {
			lastInd = e.indicator;
			partNo++;
			ul = el('ul', { class: 'review-list' });
			list.append(el('section', { class: 'review-part' },
			    el('h2', { text: t('form.part', { n: partNo, name: pick(e.indicator.name) }) }), ul));
		}
		const v = state.answers[e.q.code];
		const opt = options(state.form, e.q).find((o) => o.value === v);
		const qtext = pick(e.q.text || e.item.text);
		ul.append(el('li', { 'data-code': e.q.code },
		    el('span', { class: 'rq' }, el('strong', { text: `${e.number}. ` }), qtext),
		    el('span', { class: opt ? 'ra' : 'ra none', text: opt ? pick(opt.label) : t('review.none') }),
		    el('button', { type: 'button', class: 'btn-link redit', onclick: () => editQuestion(e.q.code) },
			t('review.edit'), el('span', { class: 'visually-hidden', text: ` ${t('review.edit.which', { n: e.number })}` }))));
	}
}

function editQuestion(code) {
	showScreen('screen-form', false);
	focusQuestion(code);
}

function resetSubmitUI() {
	setMsg('submit-msg', null);
	setMsg('submit-status', null);
	const b = $('submit-btn');
	b.hidden = false;
	b.disabled = false;
	b.dataset.i18n = 'review.submit';
	b.textContent = t('review.submit');
	$('reenter-btn').hidden = true;
	clearInterval(state.waitTimer);
}

async function onSubmit() {
	if (state.busy)
		return;
	state.busy = true;
	const b = $('submit-btn');
	const back = $('back-btn');
	b.disabled = true;
	back.disabled = true;
	setMsg('submit-msg', null);
	setMsg('submit-status', 'review.sending');
	$('submit-status').classList.add('spinner-text');
	let r;
	try {
		r = await request('POST', `/api/v1/rounds/${state.round}/responses`, {
			body: {
				submission_id: state.submissionId,
				token: state.token,
				answers: cleanAnswers(state.form, state.answers),
			},
		});
	} finally {
		state.busy = false;
		b.disabled = false;
		back.disabled = false;
		$('submit-status').classList.remove('spinner-text');
		setMsg('submit-status', null);
	}
	if (r.ok) {
		forget();
		state.answers = {};
		state.token = null;
		state.submissionId = null;
		$('code-input').value = '';
		showScreen('screen-done');
		return;
	}
	if (r.status === 422 || r.code === 'invalid_answers') {
		const codes = Object.keys(r.fields || {});
		for (const c of codes)
			markMissing(c, true);
		showScreen('screen-form', false);
		setMsg('form-msg', 'err.invalid_answers');
		if (codes.length && $(`q-${codes[0]}`))
			focusQuestion(codes[0]);
		else
			$('form-msg').focus();
		return;
	}
	const key = errKey(r, 'submit');
	const wait = r.retryAfter || 30;
	setMsg('submit-msg', key, { s: wait });
	b.dataset.i18n = 'review.retry';
	b.textContent = t('review.retry');
	if (key === 'err.forbidden' || key === 'err.token_used')
		$('reenter-btn').hidden = false;
	if (key === 'err.round_closed' || key === 'err.not_found' || key === 'err.token_used')
		b.hidden = true;
	if (key === 'err.rate_limited') {
		// Let the person retry once the server said it would listen again.
		b.disabled = true;
		const until = Date.now() + wait * 1000;
		clearInterval(state.waitTimer);
		state.waitTimer = setInterval(() => {
			if (Date.now() >= until) {
				clearInterval(state.waitTimer);
				b.disabled = false;
			}
		}, 500);
	}
}

function onReenter() {
	resetSubmitUI();
	state.token = null;
	$('code-input').value = '';
	setMsg('entry-msg', null);
	setMsg('entry-info', 'entry.resume');
	showScreen('screen-entry');
	$('code-input').focus();
}

// ---- start ----

function relabel() {
	for (const id of Object.keys(msgs))
		renderMsg(id);
	showFormTitle();
	if (state.form && state.token) {
		renderForm();
		if (!$('screen-review').hidden)
			renderReview();
	}
}

function init() {
	initLang({ persist: true });
	$('lang-toggle').addEventListener('click', () => setLang(getLang() === 'th' ? 'en' : 'th'));
	onLangChange(relabel);

	const linkCode = hashParams().get('code');
	clearHash();
	state.roundFromURL = roundFromURL();
	state.round = state.roundFromURL;

	const saved = restore();
	const codeInput = $('code-input');
	if (saved && (state.round === null || saved.round === state.round)) {
		const linkTok = linkCode ? normToken(linkCode) : null;
		if (linkCode && linkTok !== saved.token) {
			forget();	// a different code: a different person
		} else {
			state.round = saved.round ?? state.round;
			state.answers = saved.answers || {};
			state.submissionId = saved.submissionId || null;
			if (saved.token)
				codeInput.value = saved.token;
			if (Object.keys(state.answers).length)
				setMsg('entry-info', 'entry.resume');
		}
	}
	if (linkCode) {
		codeInput.value = normToken(linkCode) || linkCode;
		setMsg('entry-info', 'entry.code.fromlink');
	}
	if (state.roundFromURL === null) {
		$('round-field').hidden = false;
		if (state.round)
			$('round-input').value = String(state.round);
	}

	$('entry-form').addEventListener('submit', onEntrySubmit);
	$('questions').addEventListener('change', onAnswer);
	$('questions').addEventListener('submit', (ev) => ev.preventDefault());
	$('review-btn').addEventListener('click', onReview);
	$('back-btn').addEventListener('click', () => { showScreen('screen-form', false); $('review-btn').focus(); });
	$('submit-btn').addEventListener('click', onSubmit);
	$('reenter-btn').addEventListener('click', onReenter);

	showScreen('screen-entry', false);

	// Show the questionnaire's title, and say early if the round is closed.
	if (state.roundFromURL !== null) {
		loadForm(state.roundFromURL).then((r) => {
			if (!r.ok && !r.network && !msgs['entry-msg'])
				setMsg('entry-msg', errKey(r, 'check'), { s: r.retryAfter || 30 });
			else if (r.ok && state.form.audience === 'external')
				setMsg('entry-msg', 'err.external_form', null, externalExtra);
		});
	}
}

init();
