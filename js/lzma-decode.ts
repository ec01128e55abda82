// A small LZMA decoder for the inlined wasm (js/wasm.ts), whole or in slices: LZMA
// compresses the wasm about 10% smaller than deflate, and this decoder is half the size of
// an inflater.
// Written from the algorithm (range coder, adaptive bit probabilities, bit trees), for
// size first and then speed: one probability table, closures that V8 inlines.
//
// The container (scripts/lzma-encode.mjs writes it): one properties byte
// ((pb * 5 + lp) * 9 + lc, as in the .lzma header), the decoded size as an unsigned 32-bit
// little-endian number, then the raw LZMA range-coder bytes. The dictionary size is not
// needed: the whole output is the window. The stream may end with an end marker after
// exactly that many bytes. Anything else throws: a distance before the start, output past
// or short of the size (checked at the end: writes past the array are dropped), bytes
// missing or left over, or a range coder that does not end at zero (LZMA's only integrity
// check; corruption almost always breaks one of these).

// Offsets into the probability table. Bit trees index from 1, so each holds 2^bits entries.
const IS_MATCH = 0; // [state << 4 | posState]
const IS_REP = 192; // [state], and the three rep choices after it
const IS_REP_G0 = 204;
const IS_REP_G1 = 216;
const IS_REP_G2 = 228;
const IS_REP0_LONG = 240; // [state << 4 | posState]
const DIST_SLOT = 432; // 4 trees of 6 bits, by match length (2, 3, 4, 5+)
const DIST_SPECIAL = 688; // reverse trees for the low bits of slots 4..13 (115 entries)
const ALIGN = 803; // reverse tree of the 4 low bits of larger distances
const MATCH_LEN = 819; // length coders: choice, choice2, 16 low trees, 16 mid trees, high tree
const REP_LEN = 1333;
const LITERAL = 1847; // 0x300 per literal context

const fail = (): never => {
  throw new Error("kintone-seek: the LZMA data is corrupt or truncated");
};

/** Decodes a stream in the container above into a new array of exactly its size. */
export const lzmaDecode = (input: Uint8Array): Uint8Array<ArrayBuffer> => lzmaDecoder(input)(Infinity)!;

/**
 * The same decoder in slices, so that a page's main thread can do other work between
 * them: each call of the returned function decodes about `slice` more bytes (a match may
 * run past it) and returns the whole output once the stream ends, `undefined` before.
 * The state kept between slices is copied into locals for each one, which V8 keeps in
 * registers.
 */
export function lzmaDecoder(input: Uint8Array): (slice: number) => Uint8Array<ArrayBuffer> | undefined {
  const props = input[0];
  const size = (input[1] | (input[2] << 8) | (input[3] << 16) | (input[4] << 24)) >>> 0;
  // The range coder's first byte is always 0.
  if (!(props < 225) || input[5] !== 0) fail();
  const lc = props % 9;
  const lp = ((props / 9) | 0) % 5;
  const lpMask = (1 << lp) - 1;
  const pbMask = (1 << ((props / 45) | 0)) - 1;
  const out = new Uint8Array(size);
  // Every probability starts at one half (1024 of 2048).
  const probs = new Uint16Array(LITERAL + (0x300 << (lc + lp))).fill(1024);
  let inPos = 10;
  // The range coder's range and code, both unsigned 32-bit. In a typed array, not two
  // closure variables: V8 boxes a captured number above 2^30 on every write (measured:
  // a first decode 30 to 60% slower in Node and Chromium).
  const rc = new Uint32Array([0xffffffff, (input[6] << 24) | (input[7] << 16) | (input[8] << 8) | input[9]]);
  // pos, state and rep0..rep3, between slices.
  const saved = [0, 0, 0, 0, 0, 0];
  let posState = 0;

  const normalize = (): void => {
    if (rc[0] < 0x1000000) {
      if (inPos >= input.length) fail();
      rc[0] *= 256;
      rc[1] = (rc[1] * 256 + input[inPos++]) >>> 0;
    }
  };
  // One bit with its adaptive probability (of a 0, in 2048ths).
  const bit = (i: number): number => {
    const p = probs[i];
    const bound = (rc[0] >>> 11) * p;
    let b = 0;
    if (rc[1] < bound) {
      rc[0] = bound;
      probs[i] = p + ((2048 - p) >> 5);
    } else {
      rc[0] -= bound;
      rc[1] -= bound;
      probs[i] = p - (p >> 5);
      b = 1;
    }
    normalize();
    return b;
  };
  const tree = (at: number, bits: number): number => {
    let m = 1;
    while (m >> bits === 0) m = (m << 1) | bit(at + m);
    return m - (1 << bits);
  };
  const reverseTree = (at: number, bits: number): number => {
    let m = 1;
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const b = bit(at + m);
      m = (m << 1) | b;
      value |= b << i;
    }
    return value;
  };
  // Match length minus 2: 0..7, 8..15 by posState, or 16..271.
  const length = (at: number): number =>
    bit(at)
      ? bit(at + 1)
        ? 16 + tree(at + 258, 8)
        : 8 + tree(at + 130 + (posState << 3), 3)
      : tree(at + 2 + (posState << 3), 3);

  return (slice) => {
    let [pos, state, rep0, rep1, rep2, rep3] = saved;
    let len = 0;
    let symbol: number;
    let base: number;
    let marker = false;
    const stop = pos + slice;
    while ((pos < size || inPos < input.length) && pos < stop) {
      posState = pos & pbMask;
      if (!bit(IS_MATCH + (state << 4) + posState)) {
        base = LITERAL + 0x300 * (((pos & lpMask) << lc) + (out[pos - 1] >> (8 - lc)));
        symbol = 1;
        // After a match, the byte at rep0 predicts this one: its bits select other
        // probabilities (offset 256 or 512) until the first bit that differs.
        let offset = state > 6 ? 256 : 0;
        let matchByte = out[pos - rep0 - 1];
        while (symbol < 256) {
          const matchBit = (matchByte <<= 1) & offset;
          const b = bit(base + offset + matchBit + symbol);
          symbol = (symbol << 1) | b;
          offset &= b ? matchBit : ~matchBit;
        }
        out[pos++] = symbol;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      if (bit(IS_REP + state)) {
        len = 0;
        if (!bit(IS_REP_G0 + state)) {
          if (!bit(IS_REP0_LONG + (state << 4) + posState)) {
            // A single byte from rep0.
            state = state < 7 ? 9 : 11;
            len = 1;
          }
        } else {
          let distance: number;
          if (!bit(IS_REP_G1 + state)) distance = rep1;
          else {
            if (!bit(IS_REP_G2 + state)) distance = rep2;
            else {
              distance = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = distance;
        }
        if (!len) {
          len = length(REP_LEN) + 2;
          state = state < 7 ? 8 : 11;
        }
      } else {
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        len = length(MATCH_LEN);
        state = state < 7 ? 7 : 10;
        const slot = tree(DIST_SLOT + ((len < 3 ? len : 3) << 6), 6);
        if (slot < 4) rep0 = slot;
        else {
          const bits = (slot >> 1) - 1;
          rep0 = ((2 | (slot & 1)) << bits) >>> 0;
          if (slot < 14) rep0 += reverseTree(DIST_SPECIAL + rep0 - slot, bits);
          else {
            // Direct bits, each with probability one half, then the 4 aligned ones.
            for (let i = bits - 4; i--; ) {
              rc[0] >>>= 1;
              if (rc[1] >= rc[0]) {
                rc[1] -= rc[0];
                rep0 += 1 << (i + 4);
              }
              normalize();
            }
            rep0 += reverseTree(ALIGN, 4);
          }
        }
        len += 2;
        if (rep0 === 0xffffffff) {
          marker = true; // the end marker
          break;
        }
      }
      if (rep0 >= pos) fail();
      for (; len; len--, pos++) out[pos] = out[pos - rep0 - 1];
    }
    saved.splice(0, 6, pos, state, rep0, rep1, rep2, rep3);
    if (!marker && (pos < size || inPos < input.length)) return undefined;
    if (pos !== size || rc[1] || inPos !== input.length) fail();
    return out;
  };
}
