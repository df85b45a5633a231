// SPDX-License-Identifier: ISC
// The DOM helpers of both apps (the respondent pages and the admin
// console): $() and el().  el() builds nodes and sets text, so no page
// ever puts what a person typed through innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

// The tags the admin's charts draw, made in the SVG namespace (an HTML
// <rect> would not render).  <title> and <text> are always the SVG ones:
// the document's own <title> is written in the HTML, never built here.
const SVG_TAGS = new Set(['svg', 'g', 'rect', 'line', 'text', 'title', 'desc', 'path']);

export const $ = (id) => document.getElementById(id);

// el(tag, attrs, ...children): attrs may hold text (the text content),
// class, any other attribute (true gives an empty one; null, undefined
// and false leave it out) and on<event> listeners.  Children are nodes or
// strings; nested arrays are flattened and null / undefined / false skipped.
export function el(tag, attrs, ...children) {
	const e = SVG_TAGS.has(tag) ? document.createElementNS(SVG_NS, tag) :
	    document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k === 'text')
			e.textContent = v;
		else if (k.startsWith('on') && typeof v === 'function')
			e.addEventListener(k.slice(2), v);
		else
			// class too: an SVG element's className cannot be assigned.
			e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false)
			continue;
		e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return e;
}
