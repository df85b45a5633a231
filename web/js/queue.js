// SPDX-License-Identifier: ISC
// The kiosk's outbox: finished questionnaires wait in IndexedDB until the
// server has stored them. A record leaves the outbox only after 201
// accepted or 200 already_accepted; each keeps the submission_id it was
// made with, so a retry after a lost answer is never counted twice.
//
// Retries back off from 2 s, doubling up to 60 s (longer when the server
// sends Retry-After), and start again at once on the browser's online event.
// An answer the server refuses for good (a 4xx other than 408 and 429) is
// kept and marked failed so that staff can see it; nothing is dropped.
//
// A record: {submission_id, round, key, answers, status, error, attempts}
// status is "pending" or "failed".

import { request } from './api.js';

const DB_NAME = 'ita-kiosk';
const DB_VERSION = 1;
const STORE = 'outbox';
const MIN_DELAY = 2000;
const MAX_DELAY = 60000;

function promisify(req) {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

let dbPromise = null;

function openDB() {
	if (dbPromise)
		return dbPromise;
	dbPromise = new Promise((resolve, reject) => {
		const req = indexedDB.open(DB_NAME, DB_VERSION);
		req.onupgradeneeded = () => {
			const db = req.result;
			if (!db.objectStoreNames.contains(STORE))
				db.createObjectStore(STORE, { keyPath: 'submission_id' });
		};
		req.onsuccess = () => {
			const db = req.result;
			db.onversionchange = () => { db.close(); dbPromise = null; };
			resolve(db);
		};
		req.onerror = () => { dbPromise = null; reject(req.error); };
		req.onblocked = () => { /* another tab holds an old version */ };
	});
	return dbPromise;
}

// Runs fn(store) in one transaction; resolves with fn's result once the
// transaction has committed (strict durability: flushed to disk).
async function withStore(mode, fn) {
	const db = await openDB();
	return new Promise((resolve, reject) => {
		let tx;
		try {
			tx = db.transaction(STORE, mode, { durability: 'strict' });
		} catch (e) {
			tx = db.transaction(STORE, mode);
		}
		let result;
		Promise.resolve(fn(tx.objectStore(STORE))).then((r) => { result = r; }, reject);
		tx.oncomplete = () => resolve(result);
		tx.onerror = () => reject(tx.error);
		tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
	});
}

export class Outbox {
	constructor(opts = {}) {
		this.onChange = opts.onChange || (() => {});
		this.delay = MIN_DELAY;
		this.timer = null;
		this.flushing = false;
		this.again = false;
		this.started = false;
	}

	// add(rec): stores a finished questionnaire; resolves once it is on disk.
	async add(rec) {
		const r = {
			submission_id: rec.submission_id,
			round: rec.round,
			key: rec.key,
			answers: rec.answers,
			status: 'pending',
			error: null,
			attempts: 0,
		};
		await withStore('readwrite', (st) => { st.put(r); });
		this.emit();
	}

	async all() {
		return withStore('readonly', (st) => promisify(st.getAll()));
	}

	async remove(id) {
		await withStore('readwrite', (st) => { st.delete(id); });
	}

	async update(rec) {
		await withStore('readwrite', (st) => { st.put(rec); });
	}

	async counts() {
		const all = await this.all();
		const failed = all.filter((r) => r.status === 'failed');
		return {
			pending: all.length - failed.length,
			failed: failed.length,
			failedCodes: [...new Set(failed.map((r) => r.error || '?'))],
		};
	}

	async emit() {
		try {
			this.onChange(await this.counts());
		} catch (e) { /* IndexedDB unavailable: nothing to show */ }
	}

	start() {
		if (this.started)
			return;
		this.started = true;
		window.addEventListener('online', () => this.kick());
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible')
				this.kick();
		});
		this.emit();
		this.flush();
	}

	// kick(): try now, with the backoff started afresh.
	kick() {
		this.delay = MIN_DELAY;
		this.flush();
	}

	// Marks failed records pending again (staff asked to retry them).
	async retryFailed() {
		for (const r of await this.all()) {
			if (r.status === 'failed') {
				r.status = 'pending';
				r.error = null;
				await this.update(r);
			}
		}
		this.kick();
	}

	schedule(ms) {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => { this.timer = null; this.flush(); }, ms);
	}

	// Sends every pending record, one at a time.
	async flush() {
		if (this.flushing) {
			this.again = true;
			return;
		}
		this.flushing = true;
		clearTimeout(this.timer);
		this.timer = null;
		try {
			do {
				this.again = false;
				let recs;
				try {
					recs = (await this.all()).filter((r) => r.status === 'pending');
				} catch (e) {
					return;
				}
				for (const rec of recs) {
					const res = await request('POST', `/api/v1/rounds/${rec.round}/responses`, {
						headers: { Authorization: `Kiosk ${rec.key}` },
						body: { submission_id: rec.submission_id, answers: rec.answers },
					});
					if (res.ok) {
						await this.remove(rec.submission_id);
						this.delay = MIN_DELAY;
						this.emit();
						continue;
					}
					if (res.network || res.status >= 500 || res.status === 408 || res.status === 429) {
						// Not reachable now: wait and try again, oldest first.
						const wait = Math.max(this.delay, (res.retryAfter || 0) * 1000);
						this.delay = Math.min(MAX_DELAY, this.delay * 2);
						// A kick (online event) that came meanwhile means: try now.
						this.schedule(this.again ? 0 : wait);
						this.again = false;
						return;
					}
					rec.status = 'failed';
					rec.error = res.code || `http_${res.status}`;
					rec.attempts = (rec.attempts || 0) + 1;
					await this.update(rec);
					this.emit();
				}
			} while (this.again);
		} finally {
			this.flushing = false;
			this.emit();
		}
	}
}
