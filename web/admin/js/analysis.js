// SPDX-License-Identifier: ISC
// /admin/analysis.html: the working group's year.  Round A (this year)
// against round B (the last of the same instrument by default): each
// indicator's score in both, the change and whether it is more than
// sampling noise (said in words, not colour alone), the 95 % intervals,
// a chart of A and B per indicator against the target; then A's items
// below the target, weakest first, with their answers, their change, the
// guidance of their indicator (admins may reword it or restore it) and a
// link to record a measure.  Only published figures: the server sends
// nothing else.

import { $, api, boot, el, t, L, say, failed, onLang, fmt2, confirmDialog } from './common.js';
import { stackBar } from './chart.js';

const GUIDANCE_MAX = 4000;	// bytes of each language's text (bounds.h)
const bytes = (s) => new TextEncoder().encode(s).length;

let me = null;
let rounds = [];
let doc = null;	// the comparison, or the weak items alone
let open = new Set();	// indicators shown with their items

const q = new URLSearchParams(location.search);
const signed = (v) => (typeof v === 'number' ? `${v > 0 ? '+' : ''}${v.toFixed(2)}` : '–');
const ci = (o) => (o && typeof o.low === 'number' ? `${fmt2(o.low)}–${fmt2(o.high)}` : '–');

function sigText(s) {
	if (s === true)
		return t('cmp.sig.yes');
	if (s === false)
		return t('cmp.sig.no');
	return '–';
}

function fillSelect(sel, list, value) {
	sel.replaceChildren(...list.map((r) => el('option', { value: String(r.id),
	    text: `${r.title} (${r.instrument} · ${t('cmp.round', { id: r.id })})` })));
	if (value)
		sel.value = String(value);
}

function pickB(a) {
	const same = rounds.filter((r) => r.instrument === a.instrument && r.id !== a.id);
	const sel = $('cmp-b');
	fillSelect(sel, same);
	sel.prepend(el('option', { value: '', text: t('cmp.b.none') }));
	const want = Number(q.get('with')) || (same.filter((r) => r.id < a.id).pop() ?? same[same.length - 1])?.id;
	sel.value = want ? String(want) : '';
}

// ---- the comparison ----

function rowOf(o, kind, names) {
	const isInd = kind === 'indicator';
	const toggle = isInd && o.items.length > 0 ? el('button', { type: 'button', class: 'btn btn-sm btn-ghost',
	    'aria-expanded': String(open.has(o.code)), 'data-act': 'toggle',
	    onclick: () => { open.has(o.code) ? open.delete(o.code) : open.add(o.code); renderTable(); } },
	    el('span', { text: open.has(o.code) ? t('cmp.items.hide') : t('cmp.items.show') }),
	    el('span', { class: 'visually-hidden', text: ` ${L(o[names])}` })) : null;
	const tip = `${t('cmp.col.a')} ${ci(o.a)} · ${t('cmp.col.b')} ${ci(o.b)} · ${t('cmp.col.change')} ` +
	    `${typeof o.change_low === 'number' ? `${signed(o.change_low)} … ${signed(o.change_high)}` : '–'}`;
	return el('tr', { class: isInd ? 'cmp-ind' : 'cmp-item', 'data-code': o.code, title: tip },
	    el(isInd ? 'th' : 'td', isInd ? { scope: 'row' } : null, isInd ? o.code : el('span', { class: 'cmp-sub', text: o.code })),
	    el('td', null, L(o[names]), toggle ? ' ' : null, toggle),
	    el('td', { class: 'num', text: fmt2(o.a?.score) }),
	    el('td', { class: 'num', text: fmt2(o.b?.score) }),
	    el('td', { class: 'num', text: signed(o.change) }),
	    el('td', { class: o.significant ? 'cmp-sig' : null, 'data-sig': String(o.significant),
		text: o.significant ? `★ ${sigText(true)}` : sigText(o.significant) }),
	    el('td', { class: 'small nowrap', text: tip }));
}

function renderTable() {
	const rows = [];
	for (const ind of doc.indicators) {
		rows.push(rowOf(ind, 'indicator', 'name'));
		if (open.has(ind.code))
			for (const it of ind.items)
				rows.push(rowOf(it, 'item', 'text'));
	}
	$('cmp-rows').replaceChildren(...rows);
}

// A and B per indicator as pairs of horizontal bars, the target a line.
function chart() {
	const inds = doc.indicators;
	const W = 360, LAB = 0, ROW = 52, TOP = 22, x = (v) => LAB + (Math.max(0, Math.min(100, v)) / 100) * (W - 72);
	const h = TOP + inds.length * ROW + 20;
	const svg = el('svg', { class: 'chart compact cmp-chart', id: 'cmp-svg', viewBox: `0 0 ${W} ${h}`, role: 'img',
	    'aria-labelledby': 'cmp-svg-title', preserveAspectRatio: 'xMinYMin meet' });
	svg.append(el('title', { id: 'cmp-svg-title', text: t('cmp.chart', { a: doc.rounds[0].title,
	    b: doc.rounds[1]?.title ?? '–' }) }));
	inds.forEach((ind, i) => {
		const y = TOP + i * ROW;
		svg.append(el('text', { class: 'lab', x: 0, y: y + 12, text: `${ind.code} ${L(ind.name)}` }));
		[['a', 'bar-ok', 16], ['b', 'bar-prev', 32]].forEach(([k, cls, dy]) => {
			const v = ind[k]?.score;
			if (typeof v !== 'number')
				return;
			svg.append(el('rect', { class: cls, x: LAB, y: y + dy, width: Math.max(1, x(v) - LAB), height: 12, rx: 2 },
			    el('title', { text: `${k === 'a' ? t('cmp.col.a') : t('cmp.col.b')} ${fmt2(v)}` })));
			svg.append(el('text', { class: 'val', x: x(v) + 4, y: y + dy + 11,
			    text: `${k === 'a' ? t('cmp.col.a') : t('cmp.col.b')} ${fmt2(v)}` }));
		});
	});
	const tx = x(doc.target);
	svg.append(el('line', { class: 'target', x1: tx, x2: tx, y1: TOP - 4, y2: h - 18 }));
	svg.append(el('text', { class: 'target-lab', x: tx, y: 14, 'text-anchor': 'middle',
	    text: t('chart.target', { v: doc.target }) }));
	return el('div', { class: 'chart-wrap' }, svg,
	    el('ul', { class: 'legend' },
		el('li', null, el('span', { class: 'sw sw-ok', 'aria-hidden': 'true' }), t('cmp.legend.a')),
		el('li', null, el('span', { class: 'sw sw-prev', 'aria-hidden': 'true' }), t('cmp.legend.b')),
		el('li', null, el('span', { class: 'sw sw-target', 'aria-hidden': 'true' }), t('chart.targetline'))));
}

function renderResult() {
	const box = $('cmp-result');
	box.hidden = !doc.indicators || !doc.rounds[1];
	if (box.hidden)
		return;
	const s = doc.score;
	$('cmp-overall').replaceChildren(el('strong', { text: t('cmp.overall') }), ' ',
	    el('span', { id: 'cmp-overall-fig', text: t('cmp.overall.fig', { a: fmt2(s.a), b: fmt2(s.b),
		c: signed(s.change), sig: sigText(s.significant) }) }));
	$('cmp-chart').replaceChildren(chart());
	renderTable();
	renderUnits();
}

// Each round's units as that round may show them (the server decides:
// a hidden unit comes with no figure at all).
function renderUnits() {
	const box = $('cmp-units');
	box.hidden = !doc.units || doc.units.length === 0;
	if (box.hidden)
		return;
	const side = (x) => (x ? [el('td', { class: 'num', 'data-label': t('cmp.units.n'), text: String(x.respondents) }),
	    el('td', { class: 'num', 'data-label': t('units.col.score'), text: fmt2(x.score) })] :
	    [el('td', { colspan: 2, 'data-label': t('units.col.score') },
		el('span', { class: 'badge closed', text: t('units.hidden') }))]);
	$('cmp-units-body').replaceChildren(el('div', { class: 'table-wrap', role: 'region', tabindex: '0',
	    'aria-label': t('units.title') }, el('table', { id: 'cmp-units-table', class: 'stack kv' },
	    el('thead', null, el('tr', null, el('th', { scope: 'col', text: t('units.col.unit') }),
		el('th', { scope: 'col', class: 'num', text: t('cmp.units.na') }),
		el('th', { scope: 'col', class: 'num', text: t('cmp.units.sa') }),
		el('th', { scope: 'col', class: 'num', text: t('cmp.units.nb') }),
		el('th', { scope: 'col', class: 'num', text: t('cmp.units.sb') }),
		el('th', { scope: 'col', class: 'num', text: t('cmp.units.change') }))),
	    el('tbody', null, ...doc.units.map((u) => el('tr', { 'data-unit': u.name },
		el('th', { scope: 'row', class: 'card-title', text: u.name }),
		...side(u.a), ...side(u.b),
		el('td', { class: 'num', 'data-label': t('cmp.units.change'),
		    text: u.change === null ? '–' : signed(u.change) })))))));
}

// ---- the weak items ----

function distribution(d) {
	return el('ul', { class: 'cmp-dist' }, ...d.map((qq) => el('li', null,
	    el('div', { class: 'small', text: `${qq.question} · ${L(qq.text)} (n = ${qq.n})` }),
	    stackBar(qq.options.map((o) => o.value), Object.fromEntries(qq.options.map((o) => [o.value, o.count]))),
	    el('span', { class: 'small muted', text: ` ${qq.options.map((o) => `${L(o.label)} ${o.percent}%`).join(' · ')}` }))));
}

function guidanceBox(w) {
	const g = w.guidance;
	const text = g ? L(g) : t('cmp.guidance.none');
	const box = el('div', { class: 'cmp-guidance', 'data-guidance': w.indicator.code },
	    el('h4', { text: t('cmp.guidance', { code: w.indicator.code }) }),
	    el('p', { class: 'cmp-gtext', text }),
	    g?.edited ? el('p', { class: 'small muted', text: t('cmp.guidance.edited', { by: g.updated_by }) }) : null);
	if (me.admin)
		box.append(el('div', { class: 'btns' },
		    el('button', { type: 'button', class: 'btn btn-sm btn-ghost', 'data-act': 'edit-guidance',
			onclick: () => editGuidance(w.indicator, g, box) },
			el('span', { text: t('cmp.guidance.edit') }),
			el('span', { class: 'visually-hidden', text: ` ${w.indicator.code}` })),
		    g?.edited ? el('button', { type: 'button', class: 'btn btn-sm btn-ghost', 'data-act': 'restore-guidance',
			onclick: () => restoreGuidance(w.indicator) }, el('span', { text: t('cmp.guidance.restore') }),
			el('span', { class: 'visually-hidden', text: ` ${w.indicator.code}` })) : null));
	return box;
}

function editGuidance(ind, g, box) {
	const id = `g-${ind.code}`;
	const th = el('textarea', { id: `${id}-th`, rows: 6, lang: 'th' });
	const en = el('textarea', { id: `${id}-en`, rows: 6, lang: 'en' });
	th.value = g?.th ?? '';
	en.value = g?.en ?? '';
	const msg = el('p', { class: 'msg', role: 'status' });
	const form = el('form', { class: 'cmp-gform', 'data-form': ind.code },
	    el('div', { class: 'field' }, el('label', { for: th.id, text: t('cmp.guidance.th') }), th),
	    el('div', { class: 'field' }, el('label', { for: en.id, text: t('cmp.guidance.en') }), en),
	    msg,
	    el('div', { class: 'btns' }, el('button', { type: 'submit', class: 'btn btn-sm', text: t('save') }),
		el('button', { type: 'button', class: 'btn btn-sm btn-ghost', text: t('cancel'), onclick: () => load() })));
	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		if (!th.value.trim() || !en.value.trim() || bytes(th.value) > GUIDANCE_MAX || bytes(en.value) > GUIDANCE_MAX) {
			say(msg, t('cmp.guidance.bad', { max: GUIDANCE_MAX }));
			return;
		}
		const r = await api('PUT', `/api/v1/admin/guidance/${encodeURIComponent(ind.code)}`,
		    { th: th.value, en: en.value });
		if (!r.ok) {
			failed(msg, r);
			return;
		}
		await load();
		say($('cmp-msg'), t('cmp.guidance.saved', { code: ind.code }), 'ok');
	});
	box.replaceChildren(el('h4', { text: t('cmp.guidance', { code: ind.code }) }), form);
	th.focus();
}

async function restoreGuidance(ind) {
	const ok = await confirmDialog({ title: t('cmp.guidance.restore.q', { code: ind.code }),
	    body: t('cmp.guidance.restore.body'), ok: t('cmp.guidance.restore') });
	if (!ok)
		return;
	const r = await api('DELETE', `/api/v1/admin/guidance/${encodeURIComponent(ind.code)}`);
	if (!r.ok) {
		failed($('cmp-msg'), r);
		return;
	}
	await load();
	say($('cmp-msg'), t('cmp.guidance.restored', { code: ind.code }), 'ok');
}

function renderWeak() {
	const list = $('cmp-weak-list');
	if (!doc.weak || doc.weak.length === 0) {
		list.replaceChildren(el('p', { class: 'empty', text: t('cmp.weak.none') }));
		return;
	}
	list.replaceChildren(...doc.weak.map((w) => el('article', { class: 'cmp-weak-item', 'data-item': w.code },
	    el('h3', { text: `${w.code} · ${L(w.text)}` }),
	    el('p', { class: 'small' },
		el('span', { text: t('cmp.weak.ind', { code: w.indicator.code, name: L(w.indicator.name) }) }), ' · ',
		el('strong', { class: 'cmp-wscore', text: t('cmp.weak.score', { v: fmt2(w.score), ci: ci(w) }) }), ' · ',
		el('span', { class: 'cmp-wchange', text: t('cmp.weak.change', { c: signed(w.change) }) })),
	    distribution(w.distribution),
	    guidanceBox(w),
	    el('p', null, el('a', { class: 'btn btn-sm', 'data-act': 'measure',
		href: `measures.html?new=1&target=${encodeURIComponent(w.code)}&round=${doc.round}` },
		el('span', { text: t('cmp.measure') }), el('span', { class: 'visually-hidden', text: ` ${w.code}` }))))));
}

function renderExport() {
	const a = $('cmp-a').value, b = $('cmp-b').value;
	const box = $('cmp-export');
	if (!b) {
		box.replaceChildren();
		return;
	}
	box.replaceChildren(el('span', { class: 'small', text: t('cmp.export') }),
	    ...['csv', 'xlsx', 'json'].map((f) => el('a', { class: 'btn btn-sm btn-ghost', id: `cmp-export-${f}`, download: '',
		href: `/api/v1/admin/rounds/${a}/export?what=compare&with=${b}&format=${f}` }, f.toUpperCase())));
}

async function load() {
	const a = $('cmp-a').value, b = $('cmp-b').value;
	say($('cmp-msg'), '');
	renderExport();
	if (!a)
		return;
	const r = b ? await api('GET', `/api/v1/admin/rounds/${a}/compare?with=${b}`) :
	    await api('GET', `/api/v1/admin/rounds/${a}/weak`);
	if (!r.ok) {
		failed($('cmp-msg'), r);
		return;
	}
	doc = r.data;
	if (doc.rounds && !doc.rounds[0].published)
		say($('cmp-msg'), t('cmp.unpublished'), 'ok');
	renderResult();
	renderWeak();
}

async function main() {
	me = await boot('analysis');
	if (!me)
		return;
	const r = await api('GET', '/api/v1/admin/rounds');
	if (!r.ok) {
		failed($('cmp-msg'), r);
		return;
	}
	rounds = r.data.rounds.filter((x) => x.instrument === 'IIT' || x.instrument === 'EIT');
	if (rounds.length === 0) {
		say($('cmp-msg'), t('cmp.norounds'), 'ok');
		document.body.dataset.ready = '1';
		return;
	}
	const a = rounds.find((x) => x.id === Number(q.get('round'))) ?? rounds[rounds.length - 1];
	fillSelect($('cmp-a'), rounds, a.id);
	pickB(a);
	$('cmp-a').addEventListener('change', () => {
		q.delete('with');
		pickB(rounds.find((x) => x.id === Number($('cmp-a').value)));
		load();
	});
	$('cmp-b').addEventListener('change', load);
	onLang(() => {
		if (doc) {
			renderResult();
			renderWeak();
		}
	});
	await load();
	document.body.dataset.ready = '1';
}

main();
