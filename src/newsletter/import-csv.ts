/**
 * Reading subscriber CSV files (no database here): decoding the bytes, finding
 * the delimiter, the header row and the email and name columns, and walking
 * the records with the line each starts on. Parsing itself is csv-parse's
 * (quotes, doubled quotes, line breaks inside quoted cells, CRLF).
 *
 * Line numbers are counted here (a record spans one line plus the line breaks
 * inside its cells), not taken from csv-parse: its own count does not match
 * what an editor shows for CRLF line breaks inside quoted cells.
 */
import { Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { Invalid } from '../shared/errors.js';
import { parseEmailAddress } from './email-address.js';

/** Delimiters we recognise (Excel writes semicolons where the decimal mark is a comma). */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
/** A record longer than this is a runaway quote or not a subscriber list. */
const MAX_RECORD_CHARS = 100_000;

export interface DecodedCsv {
  text: string;
  /** What the bytes were read as: utf-8, utf-16le, utf-16be or windows-1252. */
  encoding: string;
}

const startsWith = (data: Buffer, ...bytes: number[]) => bytes.every((b, i) => data[i] === b);

/**
 * The file's text, without a byte-order mark. UTF-8 unless a BOM says UTF-16;
 * bytes that are not valid UTF-8 are read as Windows-1252 (what Excel on
 * Windows writes for "CSV" in western locales), so accented names survive.
 */
export function decodeCsv(data: Buffer): DecodedCsv {
  if (data.length === 0) throw new Invalid('The file is empty', [{ path: '/file', message: 'empty' }]);
  if (startsWith(data, 0x50, 0x4b, 0x03, 0x04)) {
    throw new Invalid('This looks like a spreadsheet workbook (.xlsx), not a CSV file: save it as "CSV UTF-8" and upload that', [{ path: '/file', message: 'not CSV' }]);
  }
  let text: string;
  let encoding: string;
  if (startsWith(data, 0xff, 0xfe)) {
    [text, encoding] = [new TextDecoder('utf-16le').decode(data.subarray(2)), 'utf-16le'];
  } else if (startsWith(data, 0xfe, 0xff)) {
    [text, encoding] = [new TextDecoder('utf-16be').decode(data.subarray(2)), 'utf-16be'];
  } else {
    const body = startsWith(data, 0xef, 0xbb, 0xbf) ? data.subarray(3) : data;
    try {
      [text, encoding] = [new TextDecoder('utf-8', { fatal: true }).decode(body), 'utf-8'];
    } catch {
      [text, encoding] = [new TextDecoder('windows-1252').decode(body), 'windows-1252'];
    }
  }
  // NUL never appears in a text file (and PostgreSQL text cannot hold it): UTF-16 without a BOM, or binary.
  if (text.includes('\u0000')) {
    throw new Invalid('This file is not plain text (it contains NUL bytes): save it as "CSV UTF-8" and upload that', [{ path: '/file', message: 'not text' }]);
  }
  return { text, encoding };
}

/** The delimiter used most on the first line (outside quotes); a comma when none is. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

const parserOptions = (delimiter: string): Options => ({
  delimiter,
  relax_quotes: true, // a quote inside an unquoted cell is a character (Ann "Nan" Lee)
  relax_column_count: true, // short and long rows are fine: only the mapped columns matter
  skip_empty_lines: false, // blank lines come as records, so line numbers can be counted from the records
  max_record_size: MAX_RECORD_CHARS,
});

export interface CsvMapping {
  delimiter: string;
  hasHeader: boolean;
  headers: string[];
  /** 0-based. */
  emailColumn: number;
  /** 0-based; their cells are joined with a space (first name + last name). */
  nameColumns: number[];
}

export interface MappingRequest {
  /** A header name (any case) or a 1-based column number; found from the header or the data when absent. */
  emailColumn?: string;
  /** The same, or "none"; several columns joined with "+" ("First name+Last name"). */
  nameColumn?: string;
  /** Whether the first row names the columns; guessed when absent. */
  header?: boolean;
  delimiter?: string;
}

const EMAIL_HEADERS = ['email', 'e-mail', 'email address', 'e-mail address', 'emailaddress', 'email_address', 'mail', 'courriel', 'correo', 'e-mail-adresse'];
const NAME_HEADERS = ['name', 'full name', 'fullname', 'full_name', 'display name', 'nom', 'nombre'];
const FIRST_NAME_HEADERS = ['first name', 'firstname', 'first_name', 'given name', 'vorname', 'prénom', 'prenom'];
const LAST_NAME_HEADERS = ['last name', 'lastname', 'last_name', 'surname', 'family name', 'nachname', 'nom de famille'];

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const looksLikeEmail = (cell: string) => !('error' in parseEmailAddress(stripNeutraliser(cell)));

/**
 * A leading apostrophe before = + - @ tab or CR is the spreadsheet-formula
 * neutraliser our export adds (and spreadsheets use): it is not part of the value.
 */
export function stripNeutraliser(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * Works out how to read the file from its first rows: the delimiter, whether
 * the first row is a header, and which columns hold the address and the name.
 * Throws Invalid (paths /file, /delimiter, /emailColumn, /nameColumn) when it cannot.
 */
export function inspectCsv(text: string, request: MappingRequest = {}): CsvMapping {
  if (request.delimiter !== undefined && !(DELIMITERS as readonly string[]).includes(request.delimiter)) {
    throw new Invalid('The delimiter must be a comma, a semicolon, a tab or a vertical bar', [{ path: '/delimiter', message: 'one of , ; tab |' }]);
  }
  const delimiter = request.delimiter ?? detectDelimiter(text);
  let sample: string[][];
  try {
    sample = (parseSync(text, { ...parserOptions(delimiter), to: 60 }) as string[][]).filter((r) => r.some((c) => c.trim() !== '')).slice(0, 50);
  } catch (error) {
    throw new Invalid(`This file cannot be read as CSV: ${(error as Error).message}`, [{ path: '/file', message: 'not CSV' }]);
  }
  if (!sample.length) throw new Invalid('The file has no rows', [{ path: '/file', message: 'no rows' }]);
  const first = sample[0]!;
  const hasHeader = request.header ?? !first.some(looksLikeEmail);
  const headers = hasHeader ? first.map((h) => h.trim().slice(0, 100)) : [];
  const data = hasHeader ? sample.slice(1) : sample;
  const width = Math.max(...sample.map((r) => r.length));
  const shown = headers.slice(0, 20).map((h) => `"${h.slice(0, 40)}"`);
  const described = hasHeader
    ? `the header row has: ${shown.join(', ')}${headers.length > shown.length ? ` and ${headers.length - shown.length} more` : ''}`
    : `the file has ${width} column${width === 1 ? '' : 's'} and no header row`;

  const column = (spec: string, path: string): number => {
    const trimmed = spec.trim();
    if (/^\d+$/.test(trimmed)) {
      const n = Number(trimmed);
      if (n < 1 || n > width) throw new Invalid(`There is no column ${n}: ${described}`, [{ path, message: 'no such column' }]);
      return n - 1;
    }
    const index = headers.findIndex((h) => norm(h) === norm(trimmed));
    if (index < 0) throw new Invalid(`No column is called "${trimmed}": ${described} (or give a column number, 1 for the first)`, [{ path, message: 'no such column' }]);
    return index;
  };
  const byHeader = (names: string[]) => headers.findIndex((h) => names.includes(norm(h)));

  let emailColumn: number;
  if (request.emailColumn !== undefined && request.emailColumn.trim() !== '') {
    emailColumn = column(request.emailColumn, '/emailColumn');
  } else {
    emailColumn = byHeader(EMAIL_HEADERS);
    if (emailColumn < 0) {
      // The column where most of the first rows hold an address.
      let best = -1;
      let bestCount = 0;
      for (let c = 0; c < width; c++) {
        const count = data.filter((r) => looksLikeEmail(r[c] ?? '')).length;
        if (count > bestCount) [best, bestCount] = [c, count];
      }
      emailColumn = best;
    }
    if (emailColumn < 0) throw new Invalid(`Which column holds the email addresses? None of the first rows has one where expected: ${described}`, [{ path: '/emailColumn', message: 'not found' }]);
  }

  let nameColumns: number[] = [];
  const nameSpec = request.nameColumn?.trim();
  if (nameSpec && norm(nameSpec) !== 'none') {
    nameColumns = nameSpec.split('+').map((part) => column(part, '/nameColumn'));
  } else if (nameSpec === undefined || nameSpec === '') {
    const full = byHeader(NAME_HEADERS);
    if (full >= 0) nameColumns = [full];
    else {
      const firstName = byHeader(FIRST_NAME_HEADERS);
      const lastName = byHeader(LAST_NAME_HEADERS);
      nameColumns = [firstName, lastName].filter((c) => c >= 0);
    }
  }
  if (nameColumns.includes(emailColumn)) throw new Invalid('The name cannot come from the email column', [{ path: '/nameColumn', message: 'same as the email column' }]);
  return { delimiter, hasHeader, headers, emailColumn, nameColumns };
}

/** A structural problem (an unclosed quote, say) that stops the whole file from being read. */
export class CsvFileError extends Error {}

export interface CsvRecord {
  /** The line (1-based) the record starts on. */
  line: number;
  /** 0-based position among all the file's records (header and blank lines included): where an import resumes. */
  index: number;
  cells: string[];
}

/** Line breaks inside a record's cells (quoted cells may hold them): LF, CRLF and a lone CR count one each. */
function lineBreaksIn(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) if (cell.includes('\n') || cell.includes('\r')) n += cell.match(/\r\n|\r|\n/g)!.length;
  return n;
}

/** Counts lines up to byte offsets that only move forward (LF, CRLF and a lone CR each end a line). */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly bytes: Buffer) {}

  lineAt(to: number): number {
    const b = this.bytes;
    for (let i = this.offset; i < to; i++) {
      const c = b[i];
      if (c === 0x0a || (c === 0x0d && b[i + 1] !== 0x0a)) this.line++;
    }
    this.offset = Math.max(this.offset, to);
    return this.line;
  }
}

const FRIENDLY: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell that starts here is never closed (a missing closing ")',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters (put the whole cell in quotes and double any " inside it)',
  CSV_MAX_RECORD_SIZE: `the row is longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters`,
};

/** The file in slices, so that parsing waits for the consumer instead of holding every record in memory. */
function slices(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
    })(),
  );
}

/**
 * The line where the record that broke the parser starts. Only on that path:
 * asking csv-parse for each record's position (`info`) makes reading the file
 * twice as slow, and the parser reads ahead of the consumer, so the position
 * is taken from the parser itself as it goes.
 */
async function lineOfBrokenRecord(bytes: Buffer, delimiter: string): Promise<number> {
  let parsedEnd = 0;
  const options: Options = {
    ...parserOptions(delimiter),
    on_record: (record, context) => {
      parsedEnd = context.bytes;
      return record;
    },
  };
  const source = slices(bytes);
  const parser = source.pipe(parse(options));
  try {
    for await (const _ of parser) void _;
  } catch {
    // the error we are locating
  } finally {
    source.destroy();
  }
  return new LineCounter(bytes).lineAt(parsedEnd);
}

/**
 * Every record of the file in order (the header row and blank lines
 * included), each with the line it starts on. Throws CsvFileError naming the
 * line when the file stops being valid CSV.
 */
export async function* csvRecords(bytes: Buffer, delimiter: string): AsyncGenerator<CsvRecord> {
  const source = slices(bytes);
  const parser = source.pipe(parse(parserOptions(delimiter)));
  let line = 1;
  let index = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      yield { line, index, cells };
      // Blank lines are records too (skip_empty_lines is off), so every line is counted.
      line += 1 + lineBreaksIn(cells);
      index++;
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('CSV_')) throw error;
    throw new CsvFileError(`line ${await lineOfBrokenRecord(bytes, delimiter)}: ${FRIENDLY[code] ?? (error as Error).message}`);
  } finally {
    source.destroy();
    parser.destroy();
  }
}

export interface MappedRow {
  line: number;
  /** The record's position in the file (see CsvRecord.index). */
  index: number;
  /** The address cell as found (apostrophe neutraliser removed). */
  email: string;
  name: string;
  /** Every cell is blank: ignored, not an error. */
  blank: boolean;
}

/** A name as stored: one line, no control characters, at most 100 characters. */
export function cleanName(raw: string): string {
  return raw
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .trim();
}

/** The data rows (header and blank lines before it skipped), reduced to the mapped columns. */
export async function* mappedRows(bytes: Buffer, mapping: CsvMapping): AsyncGenerator<MappedRow> {
  let headerPassed = !mapping.hasHeader;
  for await (const record of csvRecords(bytes, mapping.delimiter)) {
    const blank = record.cells.every((c) => c.trim() === '');
    if (!headerPassed) {
      headerPassed = !blank;
      continue;
    }
    if (blank) {
      yield { line: record.line, index: record.index, email: '', name: '', blank };
      continue;
    }
    const cell = stripNeutraliser(record.cells[mapping.emailColumn] ?? '').trim();
    // "Ann Lee <ann@example.org>", as mail programs export contacts: the address inside the brackets.
    const email = /^[^<>]*<([^<>\s]+@[^<>\s]+)>$/.exec(cell)?.[1] ?? cell;
    const name = cleanName(mapping.nameColumns.map((c) => stripNeutraliser(record.cells[c] ?? '').trim()).filter(Boolean).join(' '));
    yield { line: record.line, index: record.index, email, name, blank };
  }
}
