//! The ids a read has delivered, so that no read delivers a record twice. `$id` values
//! are whole numbers and a read's ids cluster, so the set is a bitmap in blocks of 4,096
//! ids: 512 bytes a block, whatever the order the ids come in. The blocks are kept in a
//! vector sorted by their number rather than a `BTreeMap`, whose node code (inlined
//! into the read's state machine) and panic messages cost 2.3 KB of the gzipped single
//! file: a read touches few blocks (one per 4,096 ids of its range), and in `$id` order
//! a new block goes at an end of the vector.

const BLOCK_BITS: u64 = 4096;
const WORDS: usize = (BLOCK_BITS / 64) as usize;

/// A set of record ids.
#[derive(Debug, Clone, Default)]
pub struct IdSet {
    /// `(block number, its bits)`, sorted by block number.
    blocks: Vec<(u64, Box<[u64; WORDS]>)>,
    len: u64,
}

impl IdSet {
    /// Adds `id`; `false` when it was already there.
    pub fn insert(&mut self, id: u64) -> bool {
        let (block, word, bit) = Self::place(id);
        let at = match self.blocks.binary_search_by_key(&block, |(number, _)| *number) {
            Ok(at) => at,
            Err(at) => {
                self.blocks.insert(at, (block, Box::new([0; WORDS])));
                at
            }
        };
        let words = &mut self.blocks[at].1;
        let fresh = words[word] & bit == 0;
        words[word] |= bit;
        self.len += u64::from(fresh);
        fresh
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: u64) -> bool {
        let (block, word, bit) = Self::place(id);
        let at = self.blocks.binary_search_by_key(&block, |(number, _)| *number);
        at.is_ok_and(|at| self.blocks[at].1[word] & bit != 0)
    }

    /// How many ids the set holds.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn place(id: u64) -> (u64, usize, u64) {
        let offset = id % BLOCK_BITS;
        (id / BLOCK_BITS, (offset / 64) as usize, 1u64 << (offset % 64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_kept_once_in_any_order_across_blocks() {
        let mut set = IdSet::default();
        for id in [5, 4096, 4095, 0, u64::MAX, 5, 9_000_000] {
            set.insert(id);
        }
        assert_eq!(set.len(), 6);
        assert!(!set.insert(4096));
        for id in [0, 5, 4095, 4096, 9_000_000, u64::MAX] {
            assert!(set.contains(id), "{id}");
        }
        for id in [1, 4097, 8_999_999] {
            assert!(!set.contains(id), "{id}");
        }
    }
}
