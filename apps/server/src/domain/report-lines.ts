import { REPORT_TEMPLATE_HEADER } from '@kra/contracts';
import type { ErrorDetail } from '@kra/contracts';

/** One data line of a daily report, in base units (cores, bytes). */
export interface ReportLine {
  project: string;
  namespace: string;
  cpuCores: number;
  memoryBytes: number;
}

const HEADER_FIRST_FIELDS = new Set([
  '项目名称',
  '项目',
  'project',
  'project_name',
  'projectname',
  'project name',
]);
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
export const MAX_LINE_LENGTH = 64 * 1024;
export const MAX_LISTED_ERRORS = 100;

export interface ParsedChunk {
  lines: ReportLine[];
}

/**
 * Parses `project;namespace;cpu_cores;memory_bytes` lines from text fed in chunks of any size.
 * Line numbers count every physical line, so an error's `file:line` matches what an editor shows.
 */
export class ReportLineParser {
  private carry = '';
  private lineNumber = 0;
  private errorTotal = 0;
  private readonly listed: ErrorDetail[] = [];
  private skippingLongLine = false;

  constructor(private readonly fileName: string) {}

  get linesRead(): number {
    return this.lineNumber;
  }

  get errorCount(): number {
    return this.errorTotal;
  }

  get errors(): ErrorDetail[] {
    return this.listed;
  }

  feed(text: string): ReportLine[] {
    const out: ReportLine[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (this.skippingLongLine) {
        this.skippingLongLine = false;
        continue;
      }
      const line = this.carry ? this.carry + piece : piece;
      this.carry = '';
      this.parseLine(line, out);
    }
    if (!this.skippingLongLine) {
      this.carry += text.slice(start);
      if (this.carry.length > MAX_LINE_LENGTH) {
        this.lineNumber += 1;
        this.fail('line_too_long', `line is longer than ${MAX_LINE_LENGTH} characters`);
        this.carry = '';
        this.skippingLongLine = true;
      }
    }
    return out;
  }

  /** Call after the last chunk: a final line without a newline is still a line. */
  finish(): ReportLine[] {
    const out: ReportLine[] = [];
    if (this.carry !== '') this.parseLine(this.carry, out);
    this.carry = '';
    return out;
  }

  private parseLine(raw: string, out: ReportLine[]): void {
    this.lineNumber += 1;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.trim() === '') return;
    if (line.length > MAX_LINE_LENGTH) {
      this.fail('line_too_long', `line is longer than ${MAX_LINE_LENGTH} characters`);
      return;
    }
    const fields = line.split(';').map((f) => f.trim());
    if (this.lineNumber === 1 && isHeader(fields)) return;
    if (fields.length !== 4) {
      this.fail(
        'field_count',
        `expected 4 fields separated by ';' (project;namespace;cpu_cores;memory_bytes), found ${fields.length}`,
        line,
      );
      return;
    }
    const [project, namespace, cpuText, memoryText] = fields as [string, string, string, string];
    let ok = true;
    if (project === '') ok = this.fail('empty_project', 'project is empty', line);
    if (namespace === '') ok = this.fail('empty_namespace', 'namespace is empty', line);
    const cpuCores = this.number(cpuText, 'cpu_cores', line);
    const memoryBytes = this.number(memoryText, 'memory_bytes', line);
    if (ok && cpuCores !== null && memoryBytes !== null)
      out.push({ project, namespace, cpuCores, memoryBytes });
  }

  private number(text: string, field: string, line: string): number | null {
    if (text === '') {
      this.fail('empty_value', `${field} is empty`, line, field);
      return null;
    }
    if (text.startsWith('-') && DECIMAL.test(text.slice(1))) {
      this.fail('negative_value', `${field} "${text}" is negative`, line, field);
      return null;
    }
    if (!DECIMAL.test(text)) {
      this.fail('not_a_number', `${field} "${shorten(text)}" is not a number`, line, field);
      return null;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.fail('out_of_range', `${field} "${shorten(text)}" is too large`, line, field);
      return null;
    }
    return value;
  }

  private fail(code: string, reason: string, line?: string, field?: string): false {
    this.errorTotal += 1;
    if (this.listed.length < MAX_LISTED_ERRORS) {
      this.listed.push({
        code,
        message: `${this.fileName}:${this.lineNumber}: ${reason}`,
        file: this.fileName,
        line: this.lineNumber,
        ...(field ? { field } : {}),
        ...(line !== undefined ? { value: shorten(line) } : {}),
      });
    }
    return false;
  }
}

function isHeader(fields: string[]): boolean {
  return (
    HEADER_FIRST_FIELDS.has((fields[0] ?? '').toLowerCase()) &&
    !DECIMAL.test(fields[2] ?? '') &&
    !DECIMAL.test(fields[3] ?? '')
  );
}

function shorten(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The template served by GET /api/templates/report: its first line is the header that uploads skip. */
export const REPORT_TEMPLATE = [
  REPORT_TEMPLATE_HEADER,
  'demo-project;demo-frontend;2.5;4294967296',
  'demo-project;demo-backend;0.75;1073741824',
  '示例项目;example-ns;1.2e1;8.589934592e9',
  '',
].join('\r\n');
