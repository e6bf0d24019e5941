/**
 * Safe XML reading for external documents: no DOCTYPE (so no entity expansion, internal or
 * external), a size cap, namespace prefixes removed, every value kept as text so amounts are
 * never turned into floats.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const MAX_XML_BYTES = 20 * 1024 * 1024;
/**
 * Character and entity references (&#65; &amp;…) allowed in one document. Decoding millions of
 * them costs seconds of CPU and gigabytes of garbage for no purpose: a real statement or invoice
 * holds a few hundred (&amp; in names).
 */
export const MAX_XML_REFERENCES = 100_000;

export type XmlNode = Record<string, unknown>;

export class XmlReadError extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`${location}: ${reason}`);
  }
}

export function readXml(text: string, options: { isArray?: (name: string, path: string) => boolean } = {}): XmlNode {
  if (text.length > MAX_XML_BYTES) throw new XmlReadError('document', `larger than ${MAX_XML_BYTES / 1024 / 1024} MB`);
  const body = text.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(body) || /<!ENTITY/i.test(body)) {
    throw new XmlReadError('document', 'DOCTYPE and ENTITY declarations are not accepted (entity expansion is refused)');
  }
  let references = 0;
  for (let i = body.indexOf('&'); i !== -1; i = body.indexOf('&', i + 1)) {
    if (++references > MAX_XML_REFERENCES) {
      throw new XmlReadError('document', `more than ${MAX_XML_REFERENCES.toLocaleString('en')} character or entity references (&…;): refused before decoding`);
    }
  }
  const valid = XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new XmlReadError(`line ${valid.err.line}, column ${valid.err.col}`, `malformed XML: ${valid.err.msg}`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    isArray: (name, jpath) => options.isArray?.(name, String(jpath)) ?? false,
  });
  try {
    return parser.parse(body) as XmlNode;
  } catch (error) {
    throw new XmlReadError('document', `malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Child element by path; arrays resolve to their first element. */
export function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (Array.isArray(current)) current = current[0];
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as XmlNode)[key];
  }
  return Array.isArray(current) ? current[0] : current;
}

/** All children with this name (always an array). */
export function children(node: unknown, key: string): unknown[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as XmlNode)[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text content of an element (with or without attributes), or null. */
export function text(node: unknown, ...path: string[]): string | null {
  const target = path.length ? child(node, ...path) : Array.isArray(node) ? node[0] : node;
  if (target === undefined || target === null) return null;
  if (typeof target === 'string') return target === '' ? null : target;
  if (typeof target === 'number' || typeof target === 'boolean') return String(target);
  if (typeof target === 'object' && '#text' in (target as XmlNode)) {
    const t = (target as XmlNode)['#text'];
    return t === undefined || t === '' ? null : String(t);
  }
  return null;
}

export function attr(node: unknown, name: string): string | null {
  const target = Array.isArray(node) ? node[0] : node;
  if (target === null || typeof target !== 'object') return null;
  const value = (target as XmlNode)[`@${name}`];
  return value === undefined ? null : String(value);
}
