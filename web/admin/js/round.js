// SPDX-License-Identifier: ISC
// /admin/round.html?id=N: one round.  Its state and sample; access codes
// (internal forms) or kiosks (external forms); the scores; the exports.
//
// Access codes and kiosk keys are shown once: they are held in this
// page's memory only, offered as a CSV made here and as printable slips,
// and forgotten when the page goes.  The slips page (another window) asks
// this one for them by postMessage, so they are never stored anywhere.
//
// Every link made here (code links, the codes CSV, the slips, the public
// EIT link, kiosk pairing, and their QR codes) starts with publicBase():
// the server's --public-url, else this page's origin, and then the codes
// and kiosks panels warn first when that is a loopback or private address.

import { $, api, boot, el, t, say, sayT, failed, onLang, fmtInt, fmtTime, fmtDay, idFromURL, fatal,
    publicBase, consoleAddressWarning } from './common.js';
import { stateLine, stateButton, confirmState, kindLabel } from './widgets.js';
import { scoresView, sampleStatus } from './scoresview.js';
import { tidyInit, tidyRender } from './tidy.js';

const QR_BATCH = 250;		// texts per POST /api/v1/admin/qr (body <= 64 KiB)
const REFRESH_MS = 30000;	// live progress of an open round

const id = idFromURL();
let me = null;
let round = null;
let scores = null;
let units = null;	// the per-unit document (GET .../units)
let kiosks = [];
let batch = null;	// {codes, links, svgs, saved}: codes just issued
let keyShown = null;	// {name, key, link, svg}: a kiosk key just made
let publicSvg = null;
let editing = null;	// kiosk id being renamed or revoked: {id, what}

// ---- QR codes from the server ----

async function qrCodes(texts, progress) {
	const out = [];
	for (let i = 0; i < texts.length; i += QR_BATCH) {
		if (progress)
			progress(i, texts.length);
		const r = await api('POST', '/api/v1/admin/qr', { texts: texts.slice(i, i + QR_BATCH) });
		if (!r.ok)
			return { error: r };
		out.push(...r.data.svgs);
	}
	return { svgs: out };
}

// Our own server's SVG, parsed as SVG (never as HTML) and adopted.
function svgNode(text, label) {
	const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
	const svg = document.importNode(doc.documentElement, true);
	svg.setAttribute('role', 'img');
	svg.setAttribute('aria-label', label);
	return el('div', { class: 'qr' }, svg);
}

// ---- head and sample ----

function renderHead() {
	$('r-title').textContent = round.title;
	document.title = `${round.title} · ${t('app.short')}`;
	$('r-sub').replaceChildren(`#${round.id} · ${round.form} `, kindLabel(round.instrument, round.audience),
	    ' ', el('span', { class: 'small', text: t('round.created', { d: fmtTime(round.created_at) }) }));
	$('r-state').replaceChildren(...stateLine(round.state, round.final));
	const acts = [];
	if (me.admin && !round.final) {
		const action = round.state !== 'open' ? 'open' : 'close';
		acts.push(stateButton(action, { id: action === 'open' ? 'open-btn' : 'close-btn',
		    class: action === 'open' ? '' : 'btn-danger', onclick: () => setState(action) }));
	}
	acts.push(el('button', { type: 'button', class: 'btn btn-ghost', id: 'refresh', text: t('refresh'),
	    onclick: () => refresh(true) }));
	$('r-actions').replaceChildren(...acts);
	$('r-final').hidden = !round.final;
	$('report-link').href = `/admin/report.html?id=${round.id}`;
}

function renderSample() {
	const body = $('sample-body');
	if (!scores) {
		body.replaceChildren();
		return;
	}
	body.replaceChildren(sampleStatus(scores),
	    el('p', { class: 'small muted', id: 'sample-step',
		text: t('sample.step', { k: scores.min_cell, m: 2 * scores.min_cell - 1 }) }),
	    el('p', { class: 'small muted', text: t('sample.rule') }));
}

// Opens or closes the round once the administrator has confirmed it.
async function setState(action) {
	if (!await confirmState(action, round.title))
		return;
	const r = await api('POST', `/api/v1/admin/rounds/${id}/${action}`);
	if (!r.ok) {
		failed($('r-msg'), r);
		return;
	}
	sayT($('r-msg'), action === 'open' ? 'round.opened' : 'round.closed');
	await refresh(true);
	const b = $(action === 'open' ? 'close-btn' : 'open-btn');
	if (b)
		b.focus();
}

// ---- access codes ----

function renderCodes() {
	$('codes').hidden = false;
	$('nav-codes').hidden = false;
	const unused = round.tokens_issued - round.tokens_used;
	const kpi = (label, v, kid) => el('div', { class: 'kpi' }, el('span', { class: 'label', text: label }),
	    el('span', { class: 'value', id: kid, text: fmtInt(v) }));
	$('codes-counts').replaceChildren(kpi(t('codes.issued'), round.tokens_issued, 'codes-issued'),
	    kpi(t('codes.used'), round.tokens_used, 'codes-used'), kpi(t('codes.unused'), unused, 'codes-unused'));
	$('issue-form').hidden = !me.admin;
	renderOnce();
}

function renderOnce() {
	const box = $('once');
	if (!batch) {
		box.replaceChildren();
		return;
	}
	const n = batch.codes.length;
	const ready = Array.isArray(batch.svgs);
	box.replaceChildren(el('div', { class: 'once', id: 'once-panel', role: 'region', 'aria-labelledby': 'once-title' },
	    el('h3', { id: 'once-title', tabindex: '-1', text: t('codes.once.title', { n: fmtInt(n) }) }),
	    el('p', { text: t('codes.once.body') }),
	    el('div', { class: 'btns' },
		el('button', { type: 'button', class: 'btn', id: 'csv-btn', text: t('codes.csv'), onclick: downloadCsv }),
		el('button', { type: 'button', class: 'btn', id: 'slips-btn', text: t('codes.slips'),
		    disabled: !ready, onclick: openSlips }),
		el('button', { type: 'button', class: 'btn btn-ghost', id: 'forget-btn', text: t('codes.forget'),
		    onclick: forget })),
	    el('p', { class: 'small muted', id: 'qr-status', role: 'status',
		text: ready ? t('codes.qr.ready') : (batch.qrError || t('codes.qr.making')) })));
}

async function issue(ev) {
	ev.preventDefault();
	const msg = $('issue-msg');
	const input = $('issue-count');
	const n = Number(input.value);
	input.removeAttribute('aria-invalid');
	if (!Number.isInteger(n) || n < 1 || n > 5000) {
		input.setAttribute('aria-invalid', 'true');
		sayT(msg, 'codes.err.count', null, 'err');
		input.focus();
		return;
	}
	if (batch && !batch.saved && !window.confirm(t('codes.replace')))
		return;
	$('issue-btn').disabled = true;
	sayT(msg, 'codes.issuing');
	const unit = $('issue-unit').value.trim();
	const r = await api('POST', `/api/v1/admin/rounds/${id}/tokens`, unit ? { count: n, unit } : { count: n });
	$('issue-btn').disabled = false;
	if (!r.ok) {
		failed(msg, r);
		return;
	}
	say(msg, '');
	const codes = r.data.tokens;
	batch = { codes, base: publicBase(), links: codes.map((c) => codeLink(c)), svgs: null, saved: false };
	renderOnce();
	$('once-title').focus();
	document.dispatchEvent(new CustomEvent('ita-codes-issued', { detail: { n: codes.length } }));
	refresh(false);
	const mine = batch;
	const q = await qrCodes(mine.links, (i, total) => {
		const s = $('qr-status');
		if (s && batch === mine)
			s.textContent = t('codes.qr.progress', { i, n: total });
	});
	if (batch !== mine)
		return;
	if (q.error)
		batch.qrError = q.error.message;
	else
		batch.svgs = q.svgs;
	renderOnce();
}

function codeLink(code) {
	return `${publicBase()}/respond/?round=${id}#code=${code}`;
}

function stamp() {
	const d = new Date();
	const p = (x) => String(x).padStart(2, '0');
	return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

// UTF-8 with a BOM so that Excel reads the Thai title; CRLF as RFC 4180.
function downloadCsv() {
	const q = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
	const lines = ['code,link', ...batch.codes.map((c, i) => `${q(c)},${q(batch.links[i])}`)];
	const blob = new Blob([`\ufeff${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
	const url = URL.createObjectURL(blob);
	const a = el('a', { href: url, download: `round-${id}-codes-${stamp()}.csv`, hidden: true });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
	batch.saved = true;
}

function openSlips() {
	if (!batch || !batch.svgs)
		return;
	batch.saved = true;
	const w = window.open('/admin/slips.html', '_blank');
	if (!w)
		sayT($('issue-msg'), 'codes.popup', null, 'err');
}

// The slips window asks for the codes; only a page of ours may ask.
window.addEventListener('message', (ev) => {
	if (ev.origin !== location.origin || !ev.source || !ev.data || ev.data.type !== 'ita-slips-ready')
		return;
	if (!batch || !batch.svgs) {
		ev.source.postMessage({ type: 'ita-slips', none: true }, location.origin);
		return;
	}
	ev.source.postMessage({ type: 'ita-slips', round: id, title: round.title,
	    base: batch.base, configured: Boolean(me.public_url), codes: batch.codes,
	    links: batch.links, svgs: batch.svgs }, location.origin);
});

function forget() {
	if (batch && !batch.saved && !window.confirm(t('codes.forget.confirm')))
		return;
	batch = null;
	renderOnce();
	sayT($('issue-msg'), 'codes.forgotten');
	$('issue-count').focus();
}

window.addEventListener('beforeunload', (ev) => {
	if (batch && !batch.saved) {
		ev.preventDefault();
		ev.returnValue = '';
	}
});

// ---- kiosks ----

async function loadKiosks() {
	const r = await api('GET', `/api/v1/admin/rounds/${id}/kiosks`);
	if (!r.ok) {
		say($('kiosk-msg'), r.message);
		return;
	}
	kiosks = r.data.kiosks;
	renderKioskList();
}

function renderKiosks() {
	$('kiosks').hidden = false;
	$('nav-kiosks').hidden = false;
	$('kiosk-form').hidden = !me.admin;
	renderPublic();
	renderKioskList();
	renderKey();
}

function renderPublic() {
	const box = $('public-link');
	if (!round.public) {
		box.replaceChildren();
		return;
	}
	const link = `${publicBase()}/eit/?round=${round.id}`;
	box.replaceChildren(el('div', { class: 'note' },
	    el('p', null, el('strong', { text: t('kiosks.public') })),
	    el('div', { class: 'keybox' },
		publicSvg ? svgNode(publicSvg, t('kiosks.public.qr')) : null,
		el('div', null, el('p', { text: t('kiosks.public.body') }),
		    el('p', null, el('a', { href: link, class: 'secret', id: 'public-url', text: link }))))));
	if (!publicSvg)
		qrCodes([link]).then((q) => {
			if (q.svgs) {
				publicSvg = q.svgs[0];
				renderPublic();
			}
		});
}

function kioskActions(k) {
	if (!me.admin)
		return el('span', { class: 'muted small', text: t('viewer.readonly') });
	if (k.revoked)
		return el('span', { class: 'muted small', text: '–' });
	if (editing && editing.id === k.id && editing.what === 'revoke')
		return el('div', { class: 'btns' },
		    el('span', { class: 'small', text: t('kiosks.revoke.sure') }),
		    el('button', { type: 'button', class: 'btn btn-sm btn-danger', 'data-act': 'revoke-yes',
			text: t('kiosks.revoke.yes'), onclick: () => patchKiosk(k, { revoked: true }) }),
		    el('button', { type: 'button', class: 'btn btn-sm btn-ghost', text: t('cancel'),
			onclick: () => { editing = null; renderKioskList(); } }));
	return el('div', { class: 'btns' },
	    el('button', { type: 'button', class: 'btn btn-sm btn-ghost', 'data-act': 'rename',
		'aria-label': t('kiosks.rename.aria', { name: k.name }), text: t('kiosks.rename'),
		onclick: () => { editing = { id: k.id, what: 'rename' }; renderKioskList(); } }),
	    el('button', { type: 'button', class: 'btn btn-sm btn-ghost btn-danger', 'data-act': 'revoke',
		'aria-label': t('kiosks.revoke.aria', { name: k.name }), text: t('kiosks.revoke'),
		onclick: () => { editing = { id: k.id, what: 'revoke' }; renderKioskList(); } }));
}

function nameCell(k) {
	if (!(editing && editing.id === k.id && editing.what === 'rename'))
		return el('td', { class: 'card-title' }, k.name, ...(k.unit ? [el('br'),
		    el('span', { class: 'small muted', text: t('units.of', { unit: k.unit }) })] : []));
	const input = el('input', { type: 'text', id: `rename-${k.id}`, maxlength: 100, value: k.name,
	    'aria-label': t('kiosks.rename.label') });
	const form = el('form', { class: 'btns', novalidate: true,
	    onsubmit: (ev) => { ev.preventDefault(); patchKiosk(k, { name: input.value.trim() }); } },
	    input,
	    el('button', { type: 'submit', class: 'btn btn-sm', text: t('save') }),
	    el('button', { type: 'button', class: 'btn btn-sm btn-ghost', text: t('cancel'),
		onclick: () => { editing = null; renderKioskList(); } }));
	setTimeout(() => input.focus(), 0);
	return el('td', { class: 'card-title' }, form);
}

function renderKioskList() {
	const body = $('kiosk-body');
	if (kiosks.length === 0) {
		body.replaceChildren(el('tr', null, el('td', { colspan: 5, class: 'empty', text: t('kiosks.none') })));
		return;
	}
	body.replaceChildren(...kiosks.map((k) => el('tr', { 'data-kiosk': k.id },
	    nameCell(k),
	    el('td', { 'data-label': t('kiosks.col.state') }, el('span', { class: `badge ${k.revoked ? 'revoked' : 'open'}`,
		text: t(k.revoked ? 'kiosks.revoked' : 'kiosks.active') })),
	    el('td', { class: 'num', 'data-label': t('kiosks.col.responses'), text: fmtInt(k.responses) }),
	    el('td', { 'data-label': t('kiosks.col.seen'), text: fmtDay(k.last_seen_day) }),
	    el('td', { 'data-label': t('kiosks.col.actions') }, kioskActions(k)))));
}

async function patchKiosk(k, body) {
	if (body.name !== undefined && !body.name) {
		sayT($('kiosk-msg'), 'kiosks.err.name', null, 'err');
		return;
	}
	const r = await api('PATCH', `/api/v1/admin/kiosks/${k.id}`, body);
	if (!r.ok) {
		failed($('kiosk-msg'), r);
		return;
	}
	editing = null;
	sayT($('kiosk-msg'), body.revoked ? 'kiosks.revoked.msg' : 'kiosks.renamed.msg', { name: r.data.name });
	await loadKiosks();
}

async function addKiosk(ev) {
	ev.preventDefault();
	const name = $('kiosk-name').value.trim();
	if (!name) {
		$('kiosk-name').setAttribute('aria-invalid', 'true');
		sayT($('kiosk-msg'), 'kiosks.err.name', null, 'err');
		$('kiosk-name').focus();
		return;
	}
	$('kiosk-name').removeAttribute('aria-invalid');
	$('kiosk-add').disabled = true;
	const unit = $('kiosk-unit').value.trim();
	const r = await api('POST', `/api/v1/admin/rounds/${id}/kiosks`, unit ? { name, unit } : { name });
	$('kiosk-add').disabled = false;
	if (!r.ok) {
		failed($('kiosk-msg'), r);
		return;
	}
	say($('kiosk-msg'), '');
	$('kiosk-name').value = '';
	$('kiosk-unit').value = '';
	if (unit)
		loadUnits().then(renderUnits);
	const link = `${publicBase()}/kiosk/#key=${r.data.key}`;
	keyShown = { name: r.data.kiosk.name, key: r.data.key, link, svg: null };
	renderKey();
	$('key-title').focus();
	loadKiosks();
	const q = await qrCodes([link]);
	if (keyShown && keyShown.link === link && q.svgs) {
		keyShown.svg = q.svgs[0];
		renderKey();
	}
}

function renderKey() {
	const box = $('key-panel');
	if (!keyShown) {
		box.replaceChildren();
		return;
	}
	box.replaceChildren(el('div', { class: 'once', id: 'key-once', role: 'region', 'aria-labelledby': 'key-title' },
	    el('h3', { id: 'key-title', tabindex: '-1', text: t('kiosks.key.title', { name: keyShown.name }) }),
	    el('div', { class: 'keybox' },
		keyShown.svg ? svgNode(keyShown.svg, t('kiosks.key.qr')) : el('p', { class: 'muted', text: t('codes.qr.making') }),
		el('div', null,
		    el('p', { text: t('kiosks.key.body') }),
		    el('p', null, el('span', { class: 'small muted', text: t('kiosks.key.link') }), el('br'),
			el('span', { class: 'secret', id: 'pair-link', text: keyShown.link })),
		    el('p', null, el('span', { class: 'small muted', text: t('kiosks.key.key') }), el('br'),
			el('span', { class: 'secret', id: 'kiosk-key', text: keyShown.key })),
		    el('button', { type: 'button', class: 'btn btn-ghost', id: 'key-hide', text: t('kiosks.key.hide'),
			onclick: () => { keyShown = null; renderKey(); $('kiosk-name').focus(); } })))));
}

// ---- scores and exports ----

function renderScores() {
	const body = $('scores-body');
	if (!scores) {
		body.replaceChildren(el('p', { class: 'muted', text: t('loading') }));
		return;
	}
	body.replaceChildren(scoresView(scores));
}

// The per-unit scores: shown units with their figures, hidden ones by
// name only (the server decides which; nothing here can reveal more).
function renderUnits() {
	const body = $('units-body');
	if (!units) {
		body.replaceChildren(el('p', { class: 'muted', text: t('loading') }));
		return;
	}
	const lead = el('p', { class: 'small muted', text: t('units.lead', { k: units.min_cell }) });
	if (units.units.length === 0) {
		body.replaceChildren(el('p', { class: 'muted', id: 'units-none', text: t('units.none') }), lead);
		return;
	}
	const score = (v) => (typeof v === 'number' ? v.toFixed(2) : '–');
	const rows = units.units.map((u) => el('tr', { 'data-unit': u.name },
	    el('th', { scope: 'row', class: 'card-title', text: u.name }),
	    ...(u.shown ? [
		el('td', { class: 'num', 'data-label': t('units.col.n'), text: fmtInt(u.respondents) }),
		el('td', { class: 'num', 'data-label': t('units.col.score'), text: score(u.score) }),
		el('td', { 'data-label': t('units.col.grade'), text: u.grade || '–' })] : [
		el('td', { colspan: 3, 'data-label': t('units.col.n') },
		    el('span', { class: 'badge closed', text: t('units.hidden') }), ' ',
		    el('span', { class: 'small muted', text: t('units.hidden.why') }))])));
	if (units.unassigned)
		rows.push(el('tr', { 'data-unit': '' },
		    el('th', { scope: 'row', class: 'card-title', text: t('units.unassigned') }),
		    el('td', { colspan: 3, 'data-label': t('units.col.n') },
			el('span', { class: 'badge closed', text: t('units.hidden') }))));
	body.replaceChildren(el('div', { class: 'table-wrap', role: 'region', tabindex: '0',
	    'aria-label': t('units.list') }, el('table', { id: 'units-table', class: 'stack kv' },
	    el('thead', null, el('tr', null,
		el('th', { scope: 'col', text: t('units.col.unit') }),
		el('th', { scope: 'col', class: 'num', text: t('units.col.n') }),
		el('th', { scope: 'col', class: 'num', text: t('units.col.score') }),
		el('th', { scope: 'col', text: t('units.col.grade') }))),
	    el('tbody', null, ...rows))), lead);
}

async function loadUnits() {
	const [r, n] = await Promise.all([api('GET', `/api/v1/admin/rounds/${id}/units`),
	    api('GET', '/api/v1/admin/units')]);
	if (!r.ok) {
		$('units-body').replaceChildren(el('p', { class: 'msg err', text: r.message }));
		return;
	}
	units = r.data;
	if (n.ok)
		$('unit-names').replaceChildren(...n.data.units.map((u) => el('option', { value: u })));
}

function renderExports() {
	const can = round.state !== 'open' && scores && scores.respondents >= scores.min_cell;
	const link = (what, fmt) => {
		const href = `/api/v1/admin/rounds/${id}/export?what=${what}&format=${fmt}`;
		if (what === 'responses' && !can)
			return el('span', { class: 'muted', 'aria-disabled': 'true', text: fmt.toUpperCase() });
		return el('a', { class: 'btn btn-sm btn-ghost', href, download: '', id: `export-${what}-${fmt}`,
		    'aria-label': `${t(`exports.${what}`)} ${fmt.toUpperCase()}`, text: fmt.toUpperCase(),
		    onclick: what === 'responses' ? confirmFinal : undefined });
	};
	const row = (what) => el('tr', null, el('th', { scope: 'row', text: t(`exports.${what}`) }),
	    ...['csv', 'json', 'xlsx'].map((f) => el('td', null, link(what, f))));
	$('exports-body').replaceChildren(
	    el('div', { class: 'table-wrap' }, el('table', { id: 'export-table' },
		el('thead', null, el('tr', null, el('th', { scope: 'col', text: t('exports.what') }),
		    el('th', { scope: 'col', text: 'CSV' }), el('th', { scope: 'col', text: 'JSON' }),
		    el('th', { scope: 'col', text: 'XLSX' }))),
		el('tbody', null, row('scores'), row('units'), row('responses')))),
	    el('p', { class: 'small muted', text: t('exports.formats') }),
	    el('div', { class: can ? 'note' : 'note warn', id: 'responses-note' },
		el('p', { text: can ? t('exports.responses.ok') : t('exports.responses.why', { k: scores ? scores.min_cell : 5 }) }),
		can && !round.final ? el('p', { id: 'final-warning', text: t('exports.responses.final') }) : null));
}

// A responses download makes the round final (the server's rule): say so
// first, and show the new state once the download has begun.
function confirmFinal(ev) {
	if (round.final)
		return;
	if (!window.confirm(t('exports.final.confirm'))) {
		ev.preventDefault();
		return;
	}
	setTimeout(() => refresh(true), 1500);
}

// ---- loading ----

async function loadScores() {
	const r = await api('GET', `/api/v1/admin/rounds/${id}/scores`);
	if (!r.ok) {
		$('scores-body').replaceChildren(el('p', { class: 'msg err', text: r.message }));
		return false;
	}
	scores = r.data;
	return true;
}

// refresh(all): the round's counts; the scores again when their published
// snapshot moved (or all); the kiosk list unless a kiosk is being edited.
async function refresh(all) {
	const r = await api('GET', `/api/v1/admin/rounds/${id}`);
	if (!r.ok) {
		say($('r-msg'), r.message);
		return;
	}
	const before = round;
	round = r.data;
	renderHead();
	if (round.audience === 'internal')
		renderCodes();
	if (all || !before || before.scored !== round.scored || before.respondents !== round.respondents ||
	    before.state !== round.state) {
		await loadScores();
		renderScores();
	}
	await loadUnits();
	renderUnits();
	renderSample();
	renderExports();
	tidyRender(round);
	if (round.audience === 'external' && !editing)
		await loadKiosks();
}

function renderAll() {
	renderHead();
	renderSample();
	if (round.audience === 'internal')
		renderCodes();
	else
		renderKiosks();
	renderScores();
	renderUnits();
	renderExports();
	tidyRender(round);
}

async function main() {
	me = await boot('rounds');
	if (!me)
		return;
	if (id === null) {
		fatal(t('round.noid'));
		return;
	}
	const r = await api('GET', `/api/v1/admin/rounds/${id}`);
	if (!r.ok) {
		fatal(r.status === 404 ? t('round.notfound') : r.message);
		return;
	}
	round = r.data;
	tidyInit(me, id, () => refresh(true));
	// Once: a role="alert" box redrawn on every refresh would be read out
	// again each time.
	for (const where of ['codes', 'kiosks']) {
		const w = consoleAddressWarning(`${where}-addr-warn`);
		if (w)
			$(`${where}-addr`).append(w);
	}
	if (new URLSearchParams(location.search).get('created'))
		sayT($('r-msg'), 'round.created.msg');
	renderAll();
	if (round.audience === 'external')
		await loadKiosks();
	await Promise.all([loadScores(), loadUnits()]);
	renderAll();
	$('issue-form').addEventListener('submit', issue);
	$('kiosk-form').addEventListener('submit', addKiosk);
	onLang(renderAll);
	setInterval(() => {
		if (round && round.state === 'open' && document.visibilityState === 'visible')
			refresh(false);
	}, REFRESH_MS);
	document.body.dataset.ready = '1';
}

main();
