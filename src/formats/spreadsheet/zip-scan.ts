/**
 * Zip bombs: an XLSX is a zip whose directory may lie about sizes. Before a workbook is handed to
 * exceljs, every entry is inflated once through a byte counter (the output is thrown away), and
 * the file is refused as soon as the total passes the cap, whatever the headers declare. The
 * entries must also follow one another from the start of the file, as the directory describes
 * them, so that exceljs (which reads the zip front to back) sees exactly what was counted.
 */
import { createInflateRaw } from 'node:zlib';

export type ZipProblem = { reason: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;
/** A data descriptor after an entry: crc + sizes, with or without signature, zip64 or not. */
const MAX_DESCRIPTOR = 24;

type Entry = { name: string; method: number; flags: number; compressedSize: number; offset: number };

/** Reads the zip's directory; null when there is none (not a zip). */
function entriesOf(bytes: Uint8Array): { entries: Entry[]; directoryOffset: number } | ZipProblem {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) !== EOCD) continue;
    const count = view.getUint16(i + 10, true);
    const directoryOffset = view.getUint32(i + 16, true);
    if (count === 0xffff || directoryOffset === 0xffffffff) return { reason: 'zip64 archives are not accepted for a spreadsheet' };
    if (count > MAX_ENTRIES) return { reason: `more than ${MAX_ENTRIES} files in the zip` };
    const entries: Entry[] = [];
    let p = directoryOffset;
    for (let k = 0; k < count; k++) {
      if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) return { reason: 'damaged zip directory' };
      const nameLength = view.getUint16(p + 28, true);
      entries.push({
        flags: view.getUint16(p + 8, true),
        method: view.getUint16(p + 10, true),
        compressedSize: view.getUint32(p + 20, true),
        offset: view.getUint32(p + 42, true),
        name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      });
      p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    return { entries, directoryOffset };
  }
  return { reason: 'not a readable XLSX (no zip directory)' };
}

/** Bytes the deflated data inflates to, counted up to `budget` (then the count stops early). */
function inflatedSize(data: Uint8Array, budget: number): Promise<number | ZipProblem> {
  return new Promise((resolve) => {
    const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
    let total = 0;
    let isSettled = false;
    const settle = (value: number | ZipProblem) => {
      if (isSettled) return;
      isSettled = true;
      resolve(value);
    };
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) {
        inflater.destroy();
        settle(total);
      }
    });
    inflater.on('end', () => settle(total));
    inflater.on('error', (error) => settle({ reason: `damaged compressed data (${error.message})` }));
    inflater.end(data);
  });
}

/**
 * Checks an XLSX's zip: consistent entries, supported compression, and at most `maxInflatedBytes`
 * once inflated, counted on the real data. Returns the problem, or null when the file is acceptable.
 */
export async function scanZip(bytes: Uint8Array, maxInflatedBytes: number): Promise<ZipProblem | null> {
  const directory = entriesOf(bytes);
  if ('reason' in directory) return directory;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = [...directory.entries].sort((a, b) => a.offset - b.offset);
  let expected = 0;
  let total = 0;
  for (const entry of entries) {
    const p = entry.offset;
    if (p < expected || p - expected > (expected === 0 ? 0 : MAX_DESCRIPTOR)) return { reason: `zip entries do not follow one another at ${entry.name} (a crafted file)` };
    if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL) return { reason: `damaged zip entry ${entry.name}` };
    const flags = view.getUint16(p + 6, true);
    const method = view.getUint16(p + 8, true);
    const localSize = view.getUint32(p + 18, true);
    const hasDescriptor = (flags & 0x8) !== 0;
    if (method !== entry.method || (!hasDescriptor && localSize !== entry.compressedSize)) return { reason: `zip entry ${entry.name} differs from the zip directory (a crafted file)` };
    const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
    const end = start + entry.compressedSize;
    if (end > directory.directoryOffset) return { reason: `zip entry ${entry.name} runs past the end of the data` };
    const data = bytes.subarray(start, end);
    if (method === 0) total += data.length;
    else if (method === 8) {
      const size = await inflatedSize(data, maxInflatedBytes - total);
      if (typeof size !== 'number') return { reason: `${size.reason} in ${entry.name}` };
      total += size;
    } else return { reason: `zip entry ${entry.name} uses compression method ${method} (only stored and deflate are accepted)` };
    if (total > maxInflatedBytes) return { reason: `inflates beyond ${Math.round(maxInflatedBytes / 1024 / 1024)} MB (at ${entry.name}), whatever its zip headers declare` };
    expected = end;
    if (!hasDescriptor && entries.indexOf(entry) < entries.length - 1 && entries[entries.indexOf(entry) + 1].offset !== end) {
      return { reason: `zip entries do not follow one another after ${entry.name} (a crafted file)` };
    }
  }
  if (directory.directoryOffset - expected > MAX_DESCRIPTOR) return { reason: 'unexpected data between the zip entries and the zip directory (a crafted file)' };
  return null;
}
