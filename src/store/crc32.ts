import zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, initial?: number) => number;

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zlib computes it), for Node releases whose zlib lacks `crc32`. */
export function tableCrc32(data: Uint8Array, initial = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~initial >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

// zlib.crc32 arrived in Node 20.15 and 22.2; the engines field allows earlier 20.x releases.
const native = (zlib as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = native ? (data, initial) => native(data, initial) : tableCrc32;
