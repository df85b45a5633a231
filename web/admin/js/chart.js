// SPDX-License-Identifier: ISC
// SVG charts drawn in the browser, so nothing comes from another host and
// they print sharp: a horizontal bar chart of scores against the target
// line, and the small stacked bar of one question's answers.  Colours are
// CSS classes (admin.css); every chart has a text equivalent.

import { el, t, fmt2 } from './common.js';

const ROW = 34;		// px per bar
const LABEL_W = 270;	// px for the labels left of the bars
const PLOT_W = 470;	// px for 0..100
const RIGHT = 60;	// px for the value after the bar
const TOP = 26;		// px above the first bar, for the target label
const BOTTOM = 28;	// px below the last bar, for the axis

// Cuts a label to about n characters; the full text goes in <title>.
function clip(s, n) {
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

// barChart({bars: [{label, value, kind}], target, title}): kind "oit" for
// a bar drawn apart from the met/not-met colours.  value null: no bar.
export function barChart({ bars, target, title, id }) {
	const w = LABEL_W + PLOT_W + RIGHT;
	const h = TOP + bars.length * ROW + BOTTOM;
	const x = (v) => LABEL_W + (Math.max(0, Math.min(100, v)) / 100) * PLOT_W;
	const titleId = `${id}-title`;
	const svg = el('svg', { class: 'chart', id, viewBox: `0 0 ${w} ${h}`, role: 'img',
	    'aria-labelledby': titleId, preserveAspectRatio: 'xMinYMin meet' });
	svg.append(el('title', { id: titleId, text: title }));
	const grid = el('g');
	for (const v of [0, 25, 50, 75, 100]) {
		grid.append(el('line', { class: v === 0 ? 'axis' : 'grid', x1: x(v), x2: x(v),
		    y1: TOP - 4, y2: TOP + bars.length * ROW }));
		grid.append(el('text', { class: 'tick', x: x(v), y: h - 8, 'text-anchor': 'middle',
		    text: String(v) }));
	}
	svg.append(grid);
	bars.forEach((b, i) => {
		const y = TOP + i * ROW;
		const g = el('g');
		g.append(el('text', { class: 'lab', x: LABEL_W - 10, y: y + ROW / 2 + 5,
		    'text-anchor': 'end', text: clip(b.label, 38) }, el('title', { text: b.label })));
		if (typeof b.value === 'number') {
			const cls = b.kind === 'oit' ? 'bar-oit' :
			    (b.value >= target ? 'bar-ok' : 'bar-low');
			g.append(el('rect', { class: cls, x: LABEL_W, y: y + 6,
			    width: Math.max(1, x(b.value) - LABEL_W), height: ROW - 12, rx: 2 }));
			g.append(el('text', { class: 'val', x: x(b.value) + 6, y: y + ROW / 2 + 5,
			    text: fmt2(b.value) }));
		} else {
			g.append(el('text', { class: 'tick', x: LABEL_W + 6, y: y + ROW / 2 + 5,
			    text: t('chart.none') }));
		}
		svg.append(g);
	});
	if (typeof target === 'number') {
		svg.append(el('line', { class: 'target', x1: x(target), x2: x(target),
		    y1: TOP - 8, y2: TOP + bars.length * ROW + 2 }));
		svg.append(el('text', { class: 'target-lab', x: x(target), y: TOP - 11,
		    'text-anchor': 'middle', text: t('chart.target', { v: target }) }));
	}
	return svg;
}

// The legend under a score chart.
export function chartLegend(withOit = false) {
	const item = (cls, key) => el('li', null, el('span', { class: `sw ${cls}`, 'aria-hidden': 'true' }),
	    t(key));
	return el('ul', { class: 'legend' },
	    item('sw-ok', 'chart.meets'), item('sw-low', 'chart.below'),
	    withOit ? item('sw-oit', 'chart.oit') : null, item('sw-target', 'chart.targetline'));
}

// stackBar(options, counts): one question's answers as a 180x16 stacked
// bar, options in scale order; the label lists each option's count.
export function stackBar(options, counts) {
	const W = 180, H = 16;
	const total = options.reduce((s, o) => s + (counts[o] || 0), 0);
	const parts = options.map((o) => `${optionLabel(o)}: ${counts[o] || 0}`);
	const svg = el('svg', { class: `dist${options.length === 2 ? ' two' : ''}`, width: W, height: H,
	    viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': parts.join(', ') });
	let x = 0;
	options.forEach((o, i) => {
		const c = counts[o] || 0;
		if (total === 0 || c === 0)
			return;
		const w = (c / total) * W;
		svg.append(el('rect', { class: `o${Math.min(i, 5)}`, x, y: 0, width: w, height: H },
		    el('title', { text: `${optionLabel(o)}: ${c}` })));
		x += w;
	});
	svg.append(el('rect', { class: 'frame', x: 0.5, y: 0.5, width: W - 1, height: H - 1 }));
	return svg;
}

// The ITA answer values are part of the API contract (ITA.md); others
// show as they are.
export function optionLabel(v) {
	const key = `opt.${v}`;
	const s = t(key);
	return s === key ? v : s;
}

// The legend of answer colours for the L4 and YN scales.
export function answerLegend() {
	const item = (cls, v) => el('li', null, el('span', { class: `sw ${cls}`, 'aria-hidden': 'true' }),
	    optionLabel(v));
	return el('ul', { class: 'legend', 'aria-label': t('scores.answers') },
	    el('li', null, el('strong', { text: t('scores.answers') })),
	    item('sw-0', '1'), item('sw-1', '2'), item('sw-2', '3'), item('sw-3', '4'),
	    item('sw-yes', 'yes'), item('sw-no', 'no'));
}
