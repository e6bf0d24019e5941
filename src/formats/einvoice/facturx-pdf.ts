/**
 * Factur-X / ZUGFeRD: the invoice XML is a file embedded in a PDF/A-3, listed in the document's
 * /Names /EmbeddedFiles name tree (and in /AF). We walk that tree with pdf-lib and inflate the
 * file stream, refusing oversized documents and inflation bombs.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, PDFHexString } from 'pdf-lib';
import { EInvoiceError } from './types';

export const MAX_PDF_BYTES = 30 * 1024 * 1024;
export const MAX_EMBEDDED_XML_BYTES = 20 * 1024 * 1024;
const INVOICE_FILE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'order-x.xml'];

export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

type Embedded = { name: string; bytes: Uint8Array };

export async function extractInvoiceXml(bytes: Uint8Array): Promise<{ name: string; xml: string }> {
  if (bytes.length > MAX_PDF_BYTES) throw new EInvoiceError('PDF', `larger than ${MAX_PDF_BYTES / 1024 / 1024} MB`);
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
  const declared = stream.dict.lookup(PDFName.of('Params'));
  void declared;
  const bytes = decodePDFRawStream(stream).decode();
  if (bytes.length > MAX_EMBEDDED_XML_BYTES) throw new EInvoiceError(`PDF embedded file ${name}`, `inflates beyond ${MAX_EMBEDDED_XML_BYTES / 1024 / 1024} MB`);
  out.push({ name, bytes });
}
