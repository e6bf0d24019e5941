/**
 * Factur-X / ZUGFeRD: the invoice XML is a file embedded in a PDF/A-3, listed in the document's
 * /Names /EmbeddedFiles name tree (and in /AF). We walk that tree with pdf-lib and inflate the
 * file stream, refusing oversized documents and inflation bombs.
 */
import { constants, inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFString, PDFHexString } from 'pdf-lib';
import { EInvoiceError } from './types';

export const MAX_PDF_BYTES = 30 * 1024 * 1024;
export const MAX_EMBEDDED_XML_BYTES = 20 * 1024 * 1024;
/**
 * Filters one stream may chain. A real PDF uses one (two with an ASCII encoding); chained
 * FlateDecode filters multiply the inflation ratio (a 3 KB file inflating to gigabytes).
 */
export const MAX_FILTER_CHAIN = 2;
const INVOICE_FILE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'order-x.xml'];

export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

type Embedded = { name: string; bytes: Uint8Array };

export async function extractInvoiceXml(bytes: Uint8Array): Promise<{ name: string; xml: string }> {
  if (bytes.length > MAX_PDF_BYTES) throw new EInvoiceError('PDF', `larger than ${MAX_PDF_BYTES / 1024 / 1024} MB`);
  refuseChainedFilters(bytes);
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    throw new EInvoiceError('PDF', `unreadable PDF (${error instanceof Error ? error.message : String(error)})`);
  }
  const files = embeddedFiles(pdf);
  if (files.length === 0) throw new EInvoiceError('PDF /Names /EmbeddedFiles', 'no embedded file: this PDF is not a Factur-X / ZUGFeRD invoice');
  const chosen =
    files.find((f) => INVOICE_FILE_NAMES.includes(f.name.toLowerCase())) ??
    files.find((f) => f.name.toLowerCase().endsWith('.xml'));
  if (!chosen) throw new EInvoiceError('PDF /Names /EmbeddedFiles', `no XML invoice among the embedded files (${files.map((f) => f.name).join(', ')})`);
  return { name: chosen.name, xml: new TextDecoder('utf-8').decode(chosen.bytes) };
}

function embeddedFiles(pdf: PDFDocument): Embedded[] {
  const out: Embedded[] = [];
  const names = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  if (tree) walkNameTree(tree, out, 0);
  if (out.length === 0) {
    // Some writers only list the file in the catalog's associated files (/AF).
    const af = pdf.catalog.lookupMaybe(PDFName.of('AF'), PDFArray);
    for (let i = 0; af && i < af.size(); i++) {
      const spec = af.lookupMaybe(i, PDFDict);
      if (spec) addFileSpec(spec, out);
    }
  }
  return out;
}

function walkNameTree(node: PDFDict, out: Embedded[], depth: number) {
  if (depth > 10) throw new EInvoiceError('PDF /EmbeddedFiles', 'name tree too deep');
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  for (let i = 0; kids && i < kids.size(); i++) {
    const kid = kids.lookupMaybe(i, PDFDict);
    if (kid) walkNameTree(kid, out, depth + 1);
  }
  const pairs = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  for (let i = 0; pairs && i + 1 < pairs.size(); i += 2) {
    const spec = pairs.lookupMaybe(i + 1, PDFDict);
    if (spec) addFileSpec(spec, out);
  }
}

function addFileSpec(spec: PDFDict, out: Embedded[]) {
  const nameObject = spec.lookup(PDFName.of('UF')) ?? spec.lookup(PDFName.of('F'));
  const name = nameObject instanceof PDFString || nameObject instanceof PDFHexString ? nameObject.decodeText() : 'embedded';
  const ef = spec.lookupMaybe(PDFName.of('EF'), PDFDict);
  const stream = ef?.lookup(PDFName.of('F')) ?? ef?.lookup(PDFName.of('UF'));
  if (!(stream instanceof PDFRawStream)) return;
  out.push({ name, bytes: decodeEmbeddedFile(stream, name) });
}

/**
 * pdf-lib decodes object streams while loading a document, with no output limit: any stream
 * chaining more filters than a real PDF does is refused before loading. Stream dictionaries are
 * never compressed themselves, so they can be read from the raw bytes.
 */
function refuseChainedFilters(bytes: Uint8Array) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  for (const match of text.matchAll(/\/Filter\s*\[([^\]]*)\]/g)) {
    const count = match[1].split('/').length - 1;
    if (count > MAX_FILTER_CHAIN) throw new EInvoiceError('PDF', `a stream chains ${count} filters (at most ${MAX_FILTER_CHAIN} are accepted): refused as an inflation bomb`);
  }
}

/**
 * The embedded file's bytes, inflated by zlib with an output cap at every step: never more than
 * MAX_EMBEDDED_XML_BYTES is produced, whatever the stream declares.
 */
function decodeEmbeddedFile(stream: PDFRawStream, name: string): Uint8Array {
  const where = `PDF embedded file ${name}`;
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter === undefined ? [] : filter instanceof PDFArray ? filter.asArray().map((f) => stream.dict.context.lookup(f)) : [filter];
  if (filters.length > MAX_FILTER_CHAIN) throw new EInvoiceError(where, `${filters.length} filters chained (at most ${MAX_FILTER_CHAIN} are accepted): refused as an inflation bomb`);
  const parameters = stream.dict.lookup(PDFName.of('DecodeParms'));
  const predictor = parameters instanceof PDFDict ? parameters.lookup(PDFName.of('Predictor')) : undefined;
  if (predictor instanceof PDFNumber && predictor.asNumber() > 1) throw new EInvoiceError(where, 'a FlateDecode predictor is not accepted for an embedded invoice');
  let bytes: Uint8Array = stream.contents;
  for (const f of filters) {
    if (!(f instanceof PDFName) || f.decodeText() !== 'FlateDecode') {
      throw new EInvoiceError(where, `filter ${f instanceof PDFName ? f.decodeText() : String(f)} is not accepted for an embedded invoice (FlateDecode only)`);
    }
    try {
      // Z_SYNC_FLUSH: as tolerant as PDF readers of a stream cut short of its checksum.
      bytes = inflateSync(bytes, { maxOutputLength: MAX_EMBEDDED_XML_BYTES, finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        throw new EInvoiceError(where, `inflates beyond ${MAX_EMBEDDED_XML_BYTES / 1024 / 1024} MB: refused`);
      }
      throw new EInvoiceError(where, `damaged compressed data (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (bytes.length > MAX_EMBEDDED_XML_BYTES) throw new EInvoiceError(where, `larger than ${MAX_EMBEDDED_XML_BYTES / 1024 / 1024} MB`);
  return bytes;
}
