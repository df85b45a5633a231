// SPDX-License-Identifier: ISC
// Browser helpers: Debian's chromium through playwright-core (no browser is
// ever downloaded), screenshots, axe-core checks, and a watch on console
// errors (a Content-Security-Policy violation is a test failure).

import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { ROOT } from './server.mjs';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'tests', 'out', 'screenshots');

export const VIEWPORTS = {
	phone: { width: 360, height: 740 },
	tablet: { width: 1024, height: 768 },
	'tablet-portrait': { width: 768, height: 1024 },
};

// launch({args}): args are added to Chromium's own (for instance
// --host-resolver-rules, to open a page by a host name).
export function launch({ args = [] } = {}) {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		    '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
	});
}

// newPage(browser, opts): a fresh context (own storage) and page, with the
// page's errors collected in page.problems.
export async function newPage(browser, { viewport = VIEWPORTS.phone, ...ctxOpts } = {}) {
	const context = await browser.newContext({ viewport, locale: 'th-TH', ...ctxOpts });
	const page = await context.newPage();
	watch(page);
	return { context, page };
}

export function watch(page) {
	page.problems = [];
	page.netlog = [];	// failed requests, for diagnostics only
	page.on('requestfailed', (r) => page.netlog.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
	page.on('response', (r) => { if (r.status() >= 400) page.netlog.push(`${r.status()} ${r.url()}`); });
	page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		const text = m.text();
		if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(text))
			page.problems.push(`csp: ${text}`);
		else if (m.type() === 'error' && !/Failed to load resource|net::ERR_/i.test(text))
			page.problems.push(`console: ${text}`);
	});
	return page;
}

export async function screenshot(page, name, { fullPage = false } = {}) {
	await fs.mkdir(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage });
	return file;
}

// axe(page): runs axe-core on the page and returns the serious and critical
// violations, each as "rule-id: help (n nodes: selectors)".
//
// The pages' CSP (script-src 'self') blocks the inline <script> that
// page.addScriptTag would insert, so axe's source is evaluated through the
// DevTools protocol with page.evaluate, which CSP does not govern. The
// page keeps its real CSP during the check.
let axeSource = null;
export async function axe(page) {
	if (axeSource === null)
		axeSource = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
	const has = await page.evaluate(() => typeof window.axe === 'object');
	if (!has)
		await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const r = await window.axe.run(document, {
			resultTypes: ['violations'],
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
		});
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => n.target.join(' ')),
		}));
	});
	return violations
	    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
	    .map((v) => `${v.id} [${v.impact}]: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 5).join(', ')})`);
}

// Waits until the element with that id is a shown screen.
// On a timeout the error says which screen shows instead, and what went
// wrong in the page.
export async function screen(page, id, timeout = 15000) {
	try {
		await page.locator(`#${id}`).waitFor({ state: 'visible', timeout });
	} catch (e) {
		const shown = await page.evaluate(() => [...document.querySelectorAll('[data-screen]')]
		    .filter((s) => !s.hidden).map((s) => `${s.id}: ${s.textContent.replace(/\s+/g, ' ').trim().slice(0, 200)}`))
		    .catch(() => []);
		e.message += `\nshown instead: ${JSON.stringify(shown)}\nproblems: ${JSON.stringify(page.problems)}\nnetwork: ${JSON.stringify(page.netlog.slice(-10))}`;
		throw e;
	}
}
