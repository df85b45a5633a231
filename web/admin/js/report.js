// SPDX-License-Identifier: ISC
// /admin/report.html?id=N: a round's scores laid out for paper.  The print
// rules in admin.css drop the bars and keep the charts' colours, so the
// browser's "Save as PDF" gives the committee's report.

import { $, api, boot, el, t, onLang, fmtTime, fmtInt, idFromURL, fatal } from './common.js';
import { scoresView, sampleStatus } from './scoresview.js';
import { stateBadge, preliminary, prelimBanner, prelimTitle } from './widgets.js';

const id = idFromURL();
let doc = null;
let final = false;	// the round's responses were exported (GET .../rounds/ID)
let printedAt = null;

// Preliminary figures say so at the top of the first page, in the sample
// line of the head, in the document's title (a PDF's default name) and
// beside every score and grade (scoresView).
function render() {
	const prelim = preliminary(doc);
	$('rep-title').textContent = doc.title;
	document.title = `${prelim ? `${t('prelim.tag')} · ` : ''}${t('report.title')} · ${doc.title}`;
	const row = (k, v) => [el('dt', { text: t(k) }), el('dd', null, v)];
	const s = doc.sample;
	$('rep-meta').replaceChildren(
	    ...row('report.round', `#${doc.round}`),
	    ...row('report.form', `${doc.form} (${doc.instrument})`),
	    ...row('report.state', stateBadge(doc.state, final)),
	    ...row('report.sample', prelim ? el('strong', { class: 'prelim-text', text: prelimTitle(prelim) }) :
		t(s.met ? 'prelim.met' : 'sample.of', { n: fmtInt(s.respondents), m: fmtInt(s.minimum) })),
	    ...row('report.at', fmtTime(printedAt)));
	$('rep-prelim').replaceChildren(...(prelim ? [prelimBanner(prelim)] : []));
	$('rep-sample').replaceChildren(sampleStatus(doc));
	$('rep-scores').replaceChildren(scoresView(doc, { open: true, banner: false }));
	$('rep-foot').textContent = t('report.foot', { k: doc.min_cell });
	$('back').href = `/admin/round.html?id=${doc.round}`;
}

async function main() {
	const me = await boot('rounds');
	if (!me)
		return;
	if (id === null) {
		fatal(t('round.noid'));
		return;
	}
	const [r, rd] = await Promise.all([api('GET', `/api/v1/admin/rounds/${id}/scores`),
	    api('GET', `/api/v1/admin/rounds/${id}`)]);
	if (!r.ok) {
		fatal(r.status === 404 ? t('round.notfound') : r.message);
		return;
	}
	doc = r.data;
	final = rd.ok && rd.data.final === true;
	printedAt = Math.floor(Date.now() / 1000);
	render();
	onLang(render);
	$('print-btn').addEventListener('click', () => window.print());
	document.body.dataset.ready = '1';
}

main();
