// The build's LZMA encoder: 7-Zip's (the npm package `7z-wasm`, 7-Zip compiled to wasm),
// at its slowest and best settings, in the container that js/lzma-decode.ts reads:
// properties byte, decoded size (u32 LE), raw range-coder bytes.
//
// Why 7-Zip: of the encoders on npm, it compressed the wasm smallest (55,046 bytes, against
// 55,300 for `lzma1` at mode 9, whose lc/lp/pb are fixed at 3/0/2). It cannot write a bare
// LZMA stream, so this writes a .7z with one file, one LZMA coder and an uncompressed
// header, and takes the packed stream, which starts right after the 32-byte signature
// header and ends where the archive's header begins.
import SevenZip from "7z-wasm";

let sevenZip;

/** Encodes `bytes`; lc/lp/pb as in LZMA (3/0/0 suits the wasm best), `endMarker` to end
 * the stream with LZMA's end marker as well as by size (the decoder must accept both;
 * an empty input gets none, since 7-Zip stores no stream for it). */
export async function lzmaEncode(bytes, { lc = 3, lp = 0, pb = 0, endMarker = false } = {}) {
  const props = (pb * 5 + lp) * 9 + lc;
  const header = [props, bytes.length & 255, (bytes.length >>> 8) & 255, (bytes.length >>> 16) & 255, bytes.length >>> 24];
  // 7-Zip stores an empty file without a stream; a fresh range coder's flush is five zeros.
  if (bytes.length === 0) return Uint8Array.from([...header, 0, 0, 0, 0, 0]);
  const messages = [];
  sevenZip ??= await SevenZip({ print: (line) => messages.push(line), printErr: (line) => messages.push(line) });
  const fs = sevenZip.FS;
  for (const name of ["in", "out.7z"]) {
    try {
      fs.unlink(name);
    } catch {}
  }
  fs.writeFile("in", bytes);
  // The dictionary (the window matches reach back into) holds the whole input.
  let dictionary = 4096;
  while (dictionary < bytes.length) dictionary *= 2;
  const method = `LZMA:d=${dictionary}b:fb=273:mc=1000000:lc=${lc}:lp=${lp}:pb=${pb}:eos=${endMarker ? "on" : "off"}`;
  try {
    // -mf=off: no executable filter; -mhc=off: a header that is not itself compressed.
    sevenZip.callMain(["a", "-t7z", `-m0=${method}`, "-mf=off", "-mhc=off", "-mtm=off", "-mtc=off", "-mta=off", "out.7z", "in"]);
  } catch (error) {
    throw new Error(`7-Zip failed (${method}): ${messages.join("\n")}`, { cause: error });
  }
  const archive = fs.readFile("out.7z");
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const packedEnd = 32 + Number(view.getBigUint64(12, true));
  // The folder's record: one coder, id 03 01 01 (LZMA), 5 bytes of properties.
  const coder = [1, 0x23, 3, 1, 1, 5, props];
  const headerBytes = archive.subarray(packedEnd);
  const found = headerBytes.findIndex((_, i) => coder.every((byte, j) => headerBytes[i + j] === byte));
  if (found < 0 || packedEnd > archive.length) {
    throw new Error(`7-Zip's archive is not one LZMA stream with properties ${props} (${method})`);
  }
  const out = new Uint8Array(5 + packedEnd - 32);
  out.set(header);
  out.set(archive.subarray(32, packedEnd), 5);
  return out;
}
