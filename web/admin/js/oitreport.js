// SPDX-License-Identifier: ISC
// /admin/oit-report.html[?from=YYYY-MM-DD&to=YYYY-MM-DD]: the proof of
// availability of the OIT evidence URLs for a range of days (the last 30
// by default), laid out for paper: the agency and the main website in
// the head, each URL's uptime, the incidents and the check log.  The
// figures are the server's (GET /api/v1/admin/oit/report); the CSV and
// XLSX buttons download the same report as files.  The print rules in
// admin.css drop the top bar and this page's form.

import { $, api, boot, el, t, L, say, onLang, fmt2, fmtInt, fmtTime, fmtDay } from './common.js';

const API = '/api/v1/admin/oit/report';
const DEFAULT_DAYS = 30;
const RANGE_MAX = 3660;		// days (bounds.h OIT_RANGE_DAYS_MAX)
const LOG_SHOWN = 1000;		// check log lines the page lists; the files hold all
const GOOD = 99.5, FAIR = 95;	// uptime colours, as the workbook's

let doc = null;

const STATE = { up: 'oitrep.state.up', suspect: 'oitrep.state.suspect', down: 'oitrep.state.down',
    unknown: 'oitrep.state.unknown' };
const KIND = { down: 'oitrep.kind.down', cert: 'oitrep.kind.cert', offsite: 'oitrep.kind.offsite' };

// A local day as "YYYY-MM-DD".
function isoDay(d) {
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const DAY_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

// The range of the address, else the last DEFAULT_DAYS days to today.
function initialRange() {
	const q = new URLSearchParams(location.search);
	const from = q.get('from'), to = q.get('to');
	if (from && to && DAY_RE.test(from) && DAY_RE.test(to))
		return [from, to];
	const end = new Date();
	const start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - (DEFAULT_DAYS - 1));
	return [isoDay(start), isoDay(end)];
}

function fileLinks(from, to) {
	const q = (extra) => `${API}?${new URLSearchParams({ from, to, ...extra })}`;
	$('oitrep-csv').href = q({ format: 'csv' });
	$('oitrep-csv-inc').href = q({ format: 'csv', part: 'incidents' });
	$('oitrep-csv-log').href = q({ format: 'csv', part: 'log' });
	$('oitrep-xlsx').href = q({ format: 'xlsx' });
}

const upClass = (v) => (typeof v !== 'number' ? 'up-none' : v >= GOOD ? 'up-good' : v >= FAIR ? 'up-fair' : 'up-bad');

// An uptime figure: the number, and a word so that colour is not alone.
function uptime(v) {
	return el('span', { class: `uptime ${upClass(v)}` },
	    typeof v === 'number' ? `${fmt2(v)} %` : t('oitrep.nochecks'));
}

const minutes = (s) => Math.round((s || 0) / 60);

function meta() {
	const row = (k, v) => [el('dt', { text: t(k) }), el('dd', null, v)];
	const d = doc;
	return [
	    ...row('oitrep.agency', d.agency || t('oitrep.agency.none')),
	    ...row('oitrep.host', d.host || t('oitrep.host.none')),
	    ...row('oitrep.checklist', d.checklist ? L(d.checklist.title) : t('oitrep.checklist.none')),
	    ...row('oitrep.range', t('oitrep.range.value', { from: fmtDay(d.from), to: fmtDay(d.to), n: d.days })),
	    ...row('oitrep.generated', fmtTime(d.generated_at)),
	];
}

function kpis() {
	const k = (label, value, id) => el('div', { class: 'kpi' }, el('span', { class: 'label', text: t(label) }),
	    el('span', { class: 'value', id }, value));
	const tot = doc.totals;
	return [
	    k('oitrep.k.uptime', uptime(tot.uptime), 'oitrep-uptime'),
	    k('oitrep.k.checks', fmtInt(tot.checks), 'oitrep-checks'),
	    k('oitrep.k.incidents', fmtInt(tot.incidents), 'oitrep-incidents'),
	    k('oitrep.k.downtime', t('oitrep.minutes', { n: fmtInt(minutes(tot.downtime_s)) }), 'oitrep-downtime'),
	];
}

const itemName = (u) => (u.item_name ? `${u.item} ${L(u.item_name)}` : u.item);

function urlTable() {
	if (!doc.urls.length)
		return el('p', { class: 'empty', text: t('oitrep.urls.none') });
	const th = (key, num) => el('th', { scope: 'col', class: num ? 'num' : null, text: t(key) });
	const td = (key, text, num) => el('td', { class: num ? 'num' : null, 'data-label': t(key) }, text);
	return el('div', { class: 'table-wrap' }, el('table', { id: 'oitrep-url-table', class: 'stack kv oitrep-table' },
	    el('caption', { class: 'visually-hidden', text: t('oitrep.urls') }),
	    el('thead', null, el('tr', null, th('oitrep.col.item'), th('oitrep.col.url'), th('oitrep.col.checks', 1),
		th('oitrep.col.up', 1), th('oitrep.col.suspect', 1), th('oitrep.col.down', 1),
		th('oitrep.col.uptime', 1), th('oitrep.col.incidents', 1), th('oitrep.col.downtime', 1),
		th('oitrep.col.now'))),
	    el('tbody', null, doc.urls.map((u) => el('tr', { 'data-url': u.id },
		el('th', { scope: 'row', class: 'card-title', text: itemName(u) }),
		td('oitrep.col.url', [el('span', { class: 'url', text: u.url }),
		    u.removed ? el('span', { class: 'badge closed', text: t('oitrep.removed') }) : null]),
		td('oitrep.col.checks', fmtInt(u.checks), 1),
		td('oitrep.col.up', fmtInt(u.up), 1),
		td('oitrep.col.suspect', fmtInt(u.suspect), 1),
		td('oitrep.col.down', fmtInt(u.down), 1),
		td('oitrep.col.uptime', uptime(u.uptime), 1),
		td('oitrep.col.incidents', fmtInt(u.incidents.length), 1),
		td('oitrep.col.downtime', fmtInt(minutes(u.downtime_s)), 1),
		td('oitrep.col.now', t(STATE[u.state_now] || STATE.unknown)))))));
}

function incidentTable() {
	const rows = doc.urls.flatMap((u) => u.incidents.map((a) => ({ u, a })));
	if (!rows.length)
		return el('p', { class: 'empty', id: 'oitrep-inc-none', text: t('oitrep.incidents.none') });
	const th = (key, num) => el('th', { scope: 'col', class: num ? 'num' : null, text: t(key) });
	const td = (key, text, num) => el('td', { class: num ? 'num' : null, 'data-label': t(key) }, text);
	return el('div', { class: 'table-wrap' }, el('table', { id: 'oitrep-inc-table', class: 'stack kv oitrep-table' },
	    el('caption', { class: 'visually-hidden', text: t('oitrep.incidents') }),
	    el('thead', null, el('tr', null, th('oitrep.col.item'), th('oitrep.col.url'), th('oitrep.col.kind'),
		th('oitrep.col.opened'), th('oitrep.col.closed'), th('oitrep.col.minutes', 1))),
	    el('tbody', null, rows.map(({ u, a }) => el('tr', null,
		el('th', { scope: 'row', class: 'card-title', text: itemName(u) }),
		td('oitrep.col.url', el('span', { class: 'url', text: u.url })),
		td('oitrep.col.kind', t(KIND[a.kind] || KIND.down)),
		td('oitrep.col.opened', fmtTime(a.opened_at)),
		td('oitrep.col.closed', a.closed_at ? fmtTime(a.closed_at) : t('oitrep.open')),
		td('oitrep.col.minutes', fmtInt(minutes(a.duration_s)), 1))))));
}

function logTable() {
	const rows = doc.urls.flatMap((u) => u.log.map((l) => ({ u, l }))).sort((x, y) => x.l.at - y.l.at);
	if (!rows.length)
		return el('p', { class: 'empty', text: t('oitrep.log.none') });
	const th = (key, num) => el('th', { scope: 'col', class: num ? 'num' : null, text: t(key) });
	const td = (key, text, num) => el('td', { class: num ? 'num' : null, 'data-label': t(key) }, text);
	const cut = doc.log_truncated || rows.length > LOG_SHOWN;
	return [cut ? el('p', { class: 'note warn', id: 'oitrep-log-cut', text: t('oitrep.log.cut', { n: fmtInt(LOG_SHOWN) }) }) : null,
	    el('div', { class: 'table-wrap' }, el('table', { id: 'oitrep-log-table', class: 'stack kv oitrep-table' },
		el('caption', { class: 'visually-hidden', text: t('oitrep.log') }),
		el('thead', null, el('tr', null, th('oitrep.col.time'), th('oitrep.col.item'), th('oitrep.col.url'),
		    th('oitrep.col.state'), th('oitrep.col.status', 1), th('oitrep.col.ttfb', 1), th('oitrep.col.error'))),
		el('tbody', null, rows.slice(0, LOG_SHOWN).map(({ u, l }) => el('tr', null,
		    el('th', { scope: 'row', class: 'card-title', text: fmtTime(l.at) }),
		    td('oitrep.col.item', itemName(u)),
		    td('oitrep.col.url', el('span', { class: 'url', text: l.final_url && l.final_url !== u.url ?
			`${u.url} → ${l.final_url}` : u.url })),
		    td('oitrep.col.state', t(STATE[l.state] || STATE.unknown)),
		    td('oitrep.col.status', l.status ? String(l.status) : '–', 1),
		    td('oitrep.col.ttfb', typeof l.ttfb_ms === 'number' ? fmtInt(l.ttfb_ms) : '–', 1),
		    td('oitrep.col.error', l.error || ''))))))];
}

function render() {
	if (!doc)
		return;
	$('oitrep').hidden = false;
	$('oitrep-title').textContent = doc.agency || t('oitrep.title');
	document.title = `${t('oitrep.title')} ${doc.from} – ${doc.to}`;
	$('oitrep-meta').replaceChildren(...meta());
	$('oitrep-kpis').replaceChildren(...kpis());
	$('oitrep-urls').replaceChildren(urlTable());
	$('oitrep-inc').replaceChildren(incidentTable());
	$('oitrep-log').replaceChildren(...[].concat(logTable()).filter(Boolean));
	$('oitrep-foot').textContent = t('oitrep.foot', { n: fmtInt(doc.totals.urls) });
}

// Whole days from one "YYYY-MM-DD" to another, both included.
const spanDays = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000) + 1;

async function load(from, to, focus) {
	const msg = $('oitrep-msg');
	for (const id of ['oitrep-from', 'oitrep-to'])
		$(id).removeAttribute('aria-invalid');
	const n = DAY_RE.test(from) && DAY_RE.test(to) ? spanDays(from, to) : NaN;
	if (!(n >= 1 && n <= RANGE_MAX)) {
		$(DAY_RE.test(from) ? 'oitrep-to' : 'oitrep-from').setAttribute('aria-invalid', 'true');
		say(msg, t('oitrep.err.range', { n: fmtInt(RANGE_MAX) }));
		return;
	}
	$('oitrep-go').disabled = true;
	const r = await api('GET', `${API}?${new URLSearchParams({ from, to })}`);
	$('oitrep-go').disabled = false;
	if (!r.ok) {
		say(msg, r.message);
		return;
	}
	say(msg, '');
	doc = r.data;
	fileLinks(from, to);
	history.replaceState(null, '', `?${new URLSearchParams({ from, to })}`);
	render();
	if (focus)
		$('oitrep-title').focus();
}

async function main() {
	const me = await boot('oit');
	if (!me)
		return;
	const [from, to] = initialRange();
	$('oitrep-from').value = from;
	$('oitrep-to').value = to;
	fileLinks(from, to);
	$('oitrep-form').addEventListener('submit', (e) => {
		e.preventDefault();
		load($('oitrep-from').value, $('oitrep-to').value, true);
	});
	$('oitrep-print').addEventListener('click', () => window.print());
	onLang(render);
	await load(from, to, false);
	document.body.dataset.ready = '1';
}

main();
