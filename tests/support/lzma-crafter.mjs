// Writes LZMA streams symbol by symbol, including ones no real encoder writes (a match
// before the start, an end marker too early), for tests/node/lzma.test.mjs: a range
// encoder over the same probability model as js/lzma-decode.ts (lc 3, lp 0, pb 0), in the
// same container (properties byte, u32 LE size, range-coder bytes).

const IS_MATCH = 0;
const IS_REP = 192;
const DIST_SLOT = 432;
const ALIGN = 803;
const MATCH_LEN = 819;
const LITERAL = 1847;

export class LzmaCrafter {
  #probs = new Map();
  #low = 0; // below 2^33: the carry sits in bit 32
  #range = 0xffffffff;
  #cache = 0;
  #cacheSize = 1;
  #bytes = [];
  #state = 0;
  #previous = 0;

  #shiftLow() {
    const low32 = this.#low % 2 ** 32;
    const carry = this.#low >= 2 ** 32 ? 1 : 0;
    if (low32 < 0xff000000 || carry) {
      let byte = this.#cache;
      do {
        this.#bytes.push((byte + carry) & 255);
        byte = 255;
      } while (--this.#cacheSize);
      this.#cache = low32 >>> 24;
    }
    this.#cacheSize++;
    this.#low = (low32 & 0xffffff) * 256;
  }

  #bit(index, bit) {
    const p = this.#probs.get(index) ?? 1024;
    const bound = (this.#range >>> 11) * p;
    if (bit) {
      this.#low += bound;
      this.#range -= bound;
      this.#probs.set(index, p - (p >> 5));
    } else {
      this.#range = bound;
      this.#probs.set(index, p + ((2048 - p) >> 5));
    }
    while (this.#range < 0x1000000) {
      this.#range *= 256;
      this.#shiftLow();
    }
  }

  #tree(at, bits, value) {
    let m = 1;
    for (let i = bits - 1; i >= 0; i--) {
      const bit = (value >> i) & 1;
      this.#bit(at + m, bit);
      m = (m << 1) | bit;
    }
  }

  /** A plain literal (only right after a literal or at the start: no match byte). */
  literal(byte) {
    if (this.#state > 6) throw new Error("crafter: literals after a match are not supported");
    this.#bit(IS_MATCH + (this.#state << 4), 0);
    this.#tree(LITERAL + 0x300 * (this.#previous >> 5), 8, byte);
    this.#previous = byte;
    this.#state = this.#state < 4 ? 0 : this.#state < 10 ? this.#state - 3 : this.#state - 6;
    return this;
  }

  /** A match of length 2..9 at distance 1..4 (slots 0..3, no extra bits), or the end
   * marker (`distance` null: slot 63, every direct and aligned bit set). */
  match(length, distance) {
    this.#bit(IS_MATCH + (this.#state << 4), 1);
    this.#bit(IS_REP + this.#state, 0);
    this.#bit(MATCH_LEN, 0);
    this.#tree(MATCH_LEN + 2, 3, length - 2);
    const lenState = Math.min(length - 2, 3);
    this.#state = this.#state < 7 ? 7 : 10;
    if (distance !== null) {
      this.#tree(DIST_SLOT + (lenState << 6), 6, distance - 1);
      return this;
    }
    this.#tree(DIST_SLOT + (lenState << 6), 6, 63);
    for (let i = 0; i < 26; i++) {
      this.#range >>>= 1;
      this.#low += this.#range;
      while (this.#range < 0x1000000) {
        this.#range *= 256;
        this.#shiftLow();
      }
    }
    let m = 1;
    for (let i = 0; i < 4; i++) {
      this.#bit(ALIGN + m, 1);
      m = (m << 1) | 1;
    }
    return this;
  }

  /** The stream, its header claiming `size` decoded bytes. */
  finish(size) {
    for (let i = 0; i < 5; i++) this.#shiftLow();
    return Uint8Array.from([3, size & 255, (size >>> 8) & 255, (size >>> 16) & 255, size >>> 24, ...this.#bytes]);
  }
}
