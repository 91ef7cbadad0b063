// SPDX-License-Identifier: EUPL-1.2
/**
 * QR codes of invitation links: one SVG per invitation, and an A4 sheet of labels (QR code,
 * case number, code, check word) to print or to feed a mail merge.
 */
import QRCode from 'qrcode';
import { st } from '../staff/texts.ts';

/**
 * Level M restores up to 15% of a damaged code (a fold or a smudge on a letter); the 4-module
 * quiet zone is what the standard asks for and what cheap phone cameras need.
 */
const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 4 } as const;

/** The QR code of a link as a standalone SVG document (black on white, scales to any size). */
export async function qrSvg(link: string): Promise<string> {
  return (await QRCode.toString(link, QR_OPTIONS)).trim();
}

export interface SheetCell {
  caseRef: string | null;
  /** as printed: XXXX-XXXX-XXXXX */
  code: string;
  checkWord: string;
  link: string;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

/**
 * 3 × 7 cells of 70 × 42.3 mm: the common edge-to-edge A4 label sheet, so the page prints on
 * label paper as well as on plain paper; the 4 mm inner margin keeps clear of printers' edges.
 */
const PER_PAGE = 21;

const SHEET_CSS = `
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font: 9pt/1.3 system-ui, sans-serif; color: #000; background: #eee; }
header { padding: 8mm 10mm 4mm; }
header h1 { font-size: 12pt; margin: 0 0 2mm; }
.page { width: 210mm; height: 297mm; padding: 0.45mm 0 0; margin: 0 auto 8mm; background: #fff;
  display: grid; grid-template-columns: repeat(3, 70mm); grid-auto-rows: 42.3mm; align-content: start; }
.cell { display: flex; align-items: center; gap: 2mm; padding: 2mm 4mm; overflow: hidden; break-inside: avoid; }
.cell svg { width: 32mm; height: 32mm; flex: none; }
.label { min-width: 0; overflow-wrap: anywhere; }
.case { font-weight: 700; font-size: 10pt; }
.code { font-family: ui-monospace, monospace; font-size: 8pt; letter-spacing: .03em; white-space: nowrap; }
.word { margin-top: 1.5mm; }
.word strong { letter-spacing: .05em; }
@media print {
  body { background: none; }
  header { display: none; }
  .page { margin: 0; break-after: page; }
  .page:last-child { break-after: auto; }
}
`;

/** The printable sheet: a screen header that does not print, then pages of labels. */
export async function qrSheetHtml(input: {
  municipalityName: string;
  batchId: string;
  createdAt: string;
  cells: readonly SheetCell[];
}): Promise<string> {
  const cells = await Promise.all(
    input.cells.map(async (c) => {
      const svg = (await qrSvg(c.link)).replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
      return (
        `<div class="cell">${svg}<div class="label">` +
        (c.caseRef ? `<div class="case">${escapeHtml(c.caseRef)}</div>` : '') +
        `<div class="code">${escapeHtml(c.code)}</div>` +
        `<div class="word">${escapeHtml(st('invites.sheet.checkWord'))} <strong>${escapeHtml(c.checkWord)}</strong></div>` +
        `</div></div>`
      );
    }),
  );
  const pages: string[] = [];
  for (let i = 0; i < cells.length; i += PER_PAGE)
    pages.push(`<section class="page">${cells.slice(i, i + PER_PAGE).join('')}</section>`);
  const title = st('invites.sheet.title', { municipality: input.municipalityName, batch: input.batchId });
  return (
    `<!doctype html><html lang="nl"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${SHEET_CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(st('invites.sheet.made', { count: cells.length, date: input.createdAt }))} ` +
    `${escapeHtml(st('invites.sheet.printHint'))}</p></header>` +
    `<main>${pages.join('')}</main></body></html>`
  );
}
