//! A read-only multimap from 64-bit hashes to row numbers, built in one pass
//! from precomputed keys when a registry loads.
//!
//! Why not `HashMap<String, _>`: at 10^5 accounts, building string-keyed maps
//! meant one allocation per key and SipHash over every name, a large part of
//! what made a registry slow to become ready. Here a bucket is a run of
//! (tag, row) pairs in two flat arrays, found by the hash's low bits; the
//! high 32 bits are the tag. A hit is only a candidate: callers compare the
//! actual key, because the hash is not secret and a page could aim for a
//! collision.

/// Hash tables of this crate are built by [`Table::build`] and read by [`Table::get`].
pub(crate) struct Table {
    mask: u64,
    /// Bucket `b` is `slots[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    /// The hash's high 32 bits (the tag), then the row; one word, so that
    /// filing a row and checking a candidate each touch one place.
    slots: Vec<u64>,
}

impl Table {
    /// Files `rows[i]` under `hashes[i]`; rows with the same hash keep their order.
    pub fn build(hashes: &[u64], rows: &[u32]) -> Table {
        let n = hashes.len().min(rows.len());
        // About two entries per bucket: a bucket is one cache line to scan,
        // and the bucket array stays small next to the entries.
        let buckets = (n / 2).max(1).next_power_of_two();
        let mask = buckets as u64 - 1;
        let mut starts = vec![0u32; buckets + 1];
        for h in &hashes[..n] {
            starts[(h & mask) as usize] += 1;
        }
        // Each bucket's end; filling from the end (and from the last entry
        // back, to keep the order) leaves `starts` at each bucket's start,
        // with no second array of cursors.
        let mut end = 0;
        for s in starts.iter_mut() {
            end += *s;
            *s = end;
        }
        let mut slots = vec![0u64; n];
        for i in (0..n).rev() {
            let (h, row) = (hashes[i], rows[i]);
            let b = (h & mask) as usize;
            starts[b] -= 1;
            slots[starts[b] as usize] = (h >> 32) << 32 | u64::from(row);
        }
        Table {
            mask,
            starts,
            slots,
        }
    }

    /// The rows filed under `h`, in the order they were filed.
    pub fn get(&self, h: u64) -> impl Iterator<Item = u32> + '_ {
        let b = (h & self.mask) as usize;
        let start = self.starts.get(b).copied().unwrap_or(0) as usize;
        let end = self.starts.get(b + 1).copied().unwrap_or(0) as usize;
        let tag = h >> 32;
        self.slots
            .get(start..end.max(start))
            .unwrap_or_default()
            .iter()
            .filter(move |&&s| s >> 32 == tag)
            .map(|&s| s as u32)
    }

    /// Heap bytes held, for the benchmarks.
    pub fn heap_bytes(&self) -> usize {
        4 * self.starts.len() + 8 * self.slots.len()
    }
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Final mix (MurmurHash3's fmix64): spreads every input bit over the
/// bucket bits and the tag.
pub(crate) fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A fast hash of `bytes`, separated by `seed` (the platform, the table).
pub(crate) fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed.wrapping_mul(K) ^ (bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(std::array::from_fn(|i| c[i]));
        h = (h ^ v).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = 0u64;
    for (i, b) in chunks.remainder().iter().enumerate() {
        tail |= u64::from(*b) << (8 * i);
    }
    mix((h ^ tail).wrapping_mul(K))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_row_in_order_and_nothing_else() {
        let words: Vec<String> = (0..5000).map(|i| format!("w{}", i % 1700)).collect();
        let hashes: Vec<u64> = words.iter().map(|w| hash(7, w.as_bytes())).collect();
        let rows: Vec<u32> = (0..5000).collect();
        let t = Table::build(&hashes, &rows);
        for (i, w) in words.iter().enumerate().take(1700) {
            let got: Vec<u32> = t
                .get(hash(7, w.as_bytes()))
                .filter(|&r| words[r as usize] == *w)
                .collect();
            let want: Vec<u32> = (i..5000).step_by(1700).map(|r| r as u32).collect();
            assert_eq!(got, want, "{w}");
        }
        assert_eq!(
            t.get(hash(8, b"w1"))
                .filter(|&r| words[r as usize] == "w1")
                .count(),
            0
        );
        assert_eq!(Table::build(&[], &[]).get(0).count(), 0);
    }
}
