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

/**
 * 3 × 7 cells of 70 × 42.3 mm: the common edge-to-edge A4 label sheet, so the page prints on
 * label paper as well as on plain paper; the 4 mm inner margin keeps clear of printers' edges.
 */
const PER_PAGE = 21;

/** The printable sheet as src/components/QrSheet.astro shows it: a screen header, then pages of labels. */
export interface Sheet {
  title: string;
  made: string;
  printHint: string;
  checkWordLabel: string;
  /** PER_PAGE cells a page */
  pages: { caseRef: string | null; code: string; checkWord: string; svg: string }[][];
}

export async function qrSheet(input: { municipalityName: string; batchId: string; createdAt: string; cells: readonly SheetCell[] }): Promise<Sheet> {
  const cells = await Promise.all(
    input.cells.map(async (c) => ({
      caseRef: c.caseRef,
      code: c.code,
      checkWord: c.checkWord,
      // the QR code is drawn by the qrcode library from the link alone: markup we made, no input in it
      svg: (await qrSvg(c.link)).replace('<svg ', '<svg aria-hidden="true" focusable="false" '),
    })),
  );
  const pages: Sheet['pages'] = [];
  for (let i = 0; i < cells.length; i += PER_PAGE) pages.push(cells.slice(i, i + PER_PAGE));
  return {
    title: st('invites.sheet.title', { municipality: input.municipalityName, batch: input.batchId }),
    made: st('invites.sheet.made', { count: cells.length, date: input.createdAt }),
    printHint: st('invites.sheet.printHint'),
    checkWordLabel: st('invites.sheet.checkWord'),
    pages,
  };
}

/**
 * Case numbers come from another system and the codes are working links: the sheet (the API's and
 * the staff page's) may run, load, send and embed nothing, and nothing may embed it.
 */
export const SHEET_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
