// SPDX-License-Identifier: ISC
// Reading an exported workbook back the way the committee will: through
// LibreOffice (Debian libreoffice-calc-nogui), headless, every sheet
// converted to CSV, so that a test sees the cells as a spreadsheet
// computes and shows them, not as our writer meant them.  Also the raw
// parts of the file (a zip), for what a spreadsheet does not print: the
// chart's XML and the document properties.
//
//   const book = await readBack(buf)
//   book.names            sheet names, in order
//   book.sheets[name]     rows of cell texts (arrays of strings)
//   book.parts            Map of part name -> Buffer (unzip(buf))
//   cellsOf(rows)         every non-empty cell text, flattened
//
// Each call uses its own LibreOffice profile folder
// (-env:UserInstallation), so tests may run side by side; SOFFICE names
// the program (default "soffice").

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const SOFFICE = process.env.SOFFICE || 'soffice';
const CONVERT_TIMEOUT_MS = 180000;

// LibreOffice's CSV filter: comma, double quote, UTF-8 (76), from line
// 1, standard cell format, raw values (not as shown), formulas' results,
// every sheet to its own file (-1).
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

// The files of a zip archive: Map of name -> Buffer, from its central
// directory (stored and deflated entries, all that xlsx writers use).
export function unzip(buf) {
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	if (eocd < 0)
		throw new Error('not a zip file: no end of central directory');
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const files = new Map();
	for (let n = 0; n < count; n++) {
		if (buf.readUInt32LE(p) !== 0x02014b50)
			throw new Error('zip: bad central directory entry');
		const method = buf.readUInt16LE(p + 10);
		const csize = buf.readUInt32LE(p + 20);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
		const lNameLen = buf.readUInt16LE(local + 26);
		const lExtraLen = buf.readUInt16LE(local + 28);
		const start = local + 30 + lNameLen + lExtraLen;
		const data = buf.subarray(start, start + csize);
		files.set(name, method === 0 ? Buffer.from(data) : zlib.inflateRawSync(data));
		p += 46 + nameLen + extraLen + commentLen;
	}
	return files;
}

// RFC 4180 CSV (as LibreOffice writes it) to rows of strings.
export function parseCsv(text) {
	const rows = [];
	let row = [], field = '', quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') {
				quoted = false;
			} else {
				field += c;
			}
		} else if (c === '"') {
			quoted = true;
		} else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n')
				i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else {
			field += c;
		}
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

function run(file, args, timeout) {
	return new Promise((resolve, reject) => {
		const p = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { out += d; });
		p.on('error', reject);
		const t = setTimeout(() => p.kill('SIGKILL'), timeout);
		p.on('close', (code, signal) => {
			clearTimeout(t);
			resolve({ code, signal, out });
		});
	});
}

// The sheet names of a workbook, in order, from xl/workbook.xml.
export function sheetNames(parts) {
	const wb = parts.get('xl/workbook.xml')?.toString('utf8') ?? '';
	return [...wb.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]
	    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

// readBack(buf): the workbook in buf as LibreOffice reads it (above).
export async function readBack(buf) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-xlsx-'));
	try {
		const file = path.join(dir, 'book.xlsx');
		fs.writeFileSync(file, buf);
		const out = path.join(dir, 'out');
		const r = await run(SOFFICE, [`-env:UserInstallation=file://${path.join(dir, 'profile')}`,
		    '--headless', '--norestore', '--convert-to', CSV_FILTER, '--outdir', out, file],
		CONVERT_TIMEOUT_MS);
		const parts = unzip(buf);
		const names = sheetNames(parts);
		const sheets = {};
		for (const name of names) {
			const csv = path.join(out, `book-${name}.csv`);
			if (!fs.existsSync(csv))
				throw new Error(`soffice wrote no ${path.basename(csv)} (exit ${r.code ?? r.signal}): ` +
				    `${r.out}\nfiles: ${fs.existsSync(out) ? fs.readdirSync(out).join(', ') : 'none'}`);
			sheets[name] = parseCsv(fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, ''));
		}
		return { names, sheets, parts };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// Every non-empty cell of rows, as one array of strings.
export const cellsOf = (rows) => rows.flat().filter((c) => c !== '');

// The row of rows whose first cell is label (exact), or undefined.
export const rowOf = (rows, label) => rows.find((r) => r[0] === label);
