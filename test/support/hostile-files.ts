/**
 * Hostile files, built small in memory: zip bombs whose directory lies, PDFs with chained
 * FlateDecode filters, XML with millions of character references. Never committed as files.
 */
import { constants, deflateRawSync, deflateSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib';

const MB = 1024 * 1024;

/**
 * Raw deflate data inflating to `copies` times `block`: the block is compressed once with a full
 * flush (independent, byte-aligned, not final), so copies simply follow one another.
 */
export function deflatedCopies(block: Buffer, copies: number, head = Buffer.alloc(0), tail = Buffer.alloc(0)): Buffer {
  const flushed = (b: Buffer) => deflateRawSync(b, { finishFlush: constants.Z_FULL_FLUSH });
  const one = flushed(block);
  return Buffer.concat([flushed(head), ...Array.from({ length: copies }, () => one), deflateRawSync(tail)]);
}

/** zlib-wrapped (as PDF FlateDecode) data inflating to `megabytes` MB of "A" (checksum left out: readers stop before). */
export function zlibMegabytes(megabytes: number): Buffer {
  return Buffer.concat([Buffer.from([0x78, 0x9c]), deflatedCopies(Buffer.alloc(MB, 0x41), megabytes)]);
}

export type ZipEntry = { name: string; data: Buffer; method: 0 | 8; declaredSize: number };

/** A zip written as told, lies included (crc left at 0). */
export function writeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The entries of a (well-formed) zip, inflated. */
export function readZip(bytes: Buffer): { name: string; data: Buffer }[] {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(eocd + 10);
  let p = bytes.readUInt32LE(eocd + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let k = 0; k < count; k++) {
    const method = bytes.readUInt16LE(p + 10);
    const size = bytes.readUInt32LE(p + 20);
    const nameLength = bytes.readUInt16LE(p + 28);
    const name = bytes.subarray(p + 46, p + 46 + nameLength).toString();
    const local = bytes.readUInt32LE(p + 42);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    out.push({ name, data: method === 8 ? inflateRawSync(data) : Buffer.from(data) });
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  return out;
}

/** A small real workbook (exceljs), as a list of its zip entries. */
export async function workbookEntries(rows: (string | number)[][]): Promise<{ name: string; data: Buffer }[]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Clients');
  for (const row of rows) sheet.addRow(row);
  return readZip(Buffer.from(await workbook.xlsx.writeBuffer()));
}

/**
 * An XLSX whose shared strings inflate to `megabytes` MB while its zip headers declare 2 KB
 * (the 2.7 MB file inflating to 1.2 GB of the issue, smaller).
 */
export async function lyingXlsxBomb(megabytes: number): Promise<Buffer> {
  const entries = await workbookEntries([['Code client', 'Raison sociale'], ['C1', 'Dupont']]);
  const bomb = deflatedCopies(Buffer.from(`<si><t>${'A'.repeat(1000)}</t></si>`.repeat(1024 * 1024 / 1017 | 0)), megabytes, Buffer.from('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'), Buffer.from('</sst>'));
  return writeZip(
    entries.map((e) =>
      e.name === 'xl/sharedStrings.xml'
        ? { name: e.name, data: bomb, method: 8, declaredSize: 2048 }
        : { name: e.name, data: deflateRawSync(e.data), method: 8, declaredSize: e.data.length },
    ),
  );
}

/** An honest XLSX whose shared strings hold `megabytes` MB of 1 000-character strings: within the zip cap, heavy to read. */
export async function heavyXlsx(megabytes: number): Promise<Buffer> {
  const entries = await workbookEntries([['Code client', 'Raison sociale'], ['C1', 'Dupont']]);
  const block = Buffer.from(`<si><t>${'A'.repeat(1000)}</t></si>`.repeat(1024 * 1024 / 1017 | 0));
  const strings = deflatedCopies(block, megabytes, Buffer.from('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'), Buffer.from('</sst>'));
  return writeZip(
    entries.map((e) =>
      e.name === 'xl/sharedStrings.xml'
        ? { name: e.name, data: strings, method: 8, declaredSize: block.length * megabytes }
        : { name: e.name, data: deflateRawSync(e.data), method: 8, declaredSize: e.data.length },
    ),
  );
}

/**
 * A Factur-X-like PDF whose embedded factur-x.xml is `layers` chained FlateDecode filters over
 * `megabytes` MB (the 3 KB PDF inflating to 1.5 GB of the issue).
 */
export async function flateBombPdf(layers: number, megabytes: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage();
  let data = zlibMegabytes(megabytes);
  for (let i = 1; i < layers; i++) data = deflateSync(data);
  const context = pdf.context;
  const stream = PDFRawStream.of(context.obj({ Type: 'EmbeddedFile', Subtype: 'text/xml', Filter: Array.from({ length: layers }, () => 'FlateDecode'), Length: data.length }), data);
  const fileSpec = context.obj({ Type: 'Filespec', F: PDFString.of('factur-x.xml'), UF: PDFHexString.fromText('factur-x.xml'), EF: { F: context.register(stream) } });
  const names = context.obj({ EmbeddedFiles: { Names: [PDFString.of('factur-x.xml'), context.register(fileSpec)] } });
  pdf.catalog.set(PDFName.of('Names'), context.register(names));
  return pdf.save({ useObjectStreams: false });
}

/** A camt.054 whose remittance text is `count` character references (&#65;). */
export function camtWithReferences(base: string, count: number): Uint8Array {
  return new TextEncoder().encode(base.replace(/<Ustrd>[^<]*<\/Ustrd>/, `<Ustrd>${'&#65;'.repeat(count)}</Ustrd>`));
}
