//! Names one edit apart, found without scanning all names.
//!
//! A key is filed under itself and under each of its one-character deletions;
//! a query looks up itself and its own deletions. Two strings are at most one
//! edit apart (substitution, insertion, deletion, or a swap of neighbours)
//! only if they share one of these: a substitution at `i` leaves both with
//! the same deletion at `i`, an insertion makes the key one of the query's
//! deletions, a deletion the other way round, and a swap of `ab` to `ba`
//! leaves deleting `a` from either the same. Hits are candidates (some are
//! two edits apart, some hash collisions) and [`one_edit`] decides.
//!
//! This replaced a pigeonhole index over key halves: with 10^5 or more brand
//! names, common halves ("kab", "son") filed thousands of keys together, so a
//! query gathered thousands of candidates and the cap on how many were scored
//! dropped real look-alikes. Deletion neighbours are exact strings, so a query
//! gathers a handful. The hashes are polynomial, so all deletions of a
//! string take time linear in its length.

/// Multiplier of the polynomial hash (odd, so it is invertible mod 2^64).
const B: u64 = 0x100_0000_01b3;

/// Hashes of `s` and of each of its one-character deletions (`s` first).
pub(crate) fn neighbours(s: &str, out: &mut Vec<u64>, buf: &mut Vec<u64>) {
    out.clear();
    buf.clear();
    // buf[i] = hash of the first i characters; +1 so that no character hashes as zero.
    buf.push(0);
    let mut n = 0usize;
    for c in s.chars() {
        let last = buf[n];
        buf.push(last.wrapping_mul(B).wrapping_add(u64::from(c) + 1));
        n += 1;
    }
    let full = buf[n];
    out.push(finish(full, n));
    // Deleting character i: prefix(i) · B^(n-1-i) + (full − prefix(i+1) · B^(n-1-i)).
    let mut pow = 1u64; // B^(n-1-i), built from the right
    for i in (0..n).rev() {
        let suffix = full.wrapping_sub(buf[i + 1].wrapping_mul(pow));
        out.push(finish(buf[i].wrapping_mul(pow).wrapping_add(suffix), n - 1));
        pow = pow.wrapping_mul(B);
    }
}

fn finish(h: u64, len: usize) -> u64 {
    super::table::mix(h ^ (len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Exactly one edit apart: one substitution, insertion, deletion, or swap of
/// neighbouring characters (Damerau-Levenshtein distance 1).
pub(crate) fn one_edit(a: &[char], b: &[char]) -> bool {
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (la, lb) = (a.len(), b.len());
    if la == lb {
        if p == la {
            return false;
        }
        a[p + 1..] == b[p + 1..]
            || (p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..])
    } else if la + 1 == lb {
        a[p..] == b[p + 1..]
    } else if lb + 1 == la {
        a[p + 1..] == b[p..]
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant one edit away from a key, at every position.
    fn one_edit_variants(key: &[char]) -> Vec<Vec<char>> {
        let mut out = Vec::new();
        for i in 0..=key.len() {
            let mut ins = key.to_vec();
            ins.insert(i, '※');
            out.push(ins);
            if i < key.len() {
                let mut sub = key.to_vec();
                sub[i] = '※';
                out.push(sub);
                let mut del = key.to_vec();
                del.remove(i);
                out.push(del);
            }
            if i + 1 < key.len() && key[i] != key[i + 1] {
                let mut tr = key.to_vec();
                tr.swap(i, i + 1);
                out.push(tr);
            }
        }
        out
    }

    #[test]
    fn every_single_edit_shares_a_neighbour_and_is_one_edit() {
        let (mut filed, mut asked, mut buf) = (Vec::new(), Vec::new(), Vec::new());
        for key in ["kestrelaudio", "奥罗拉健康", "amway", "abcdefg", "ab", "aab"] {
            neighbours(key, &mut filed, &mut buf);
            let k: Vec<char> = key.chars().collect();
            for v in one_edit_variants(&k) {
                let text: String = v.iter().collect();
                neighbours(&text, &mut asked, &mut buf);
                assert!(asked.iter().any(|h| filed.contains(h)), "{key} not found from {text}");
                assert!(one_edit(&v, &k) && one_edit(&k, &v), "{key} / {text}");
            }
        }
    }

    #[test]
    fn deletions_hash_like_the_strings_they_make() {
        let (mut a, mut b, mut buf) = (Vec::new(), Vec::new(), Vec::new());
        neighbours("sonyx", &mut a, &mut buf);
        for (i, want) in ["sony", "sonx", "soyx", "snyx", "onyx"].iter().enumerate() {
            neighbours(want, &mut b, &mut buf);
            assert_eq!(a[i + 1], b[0], "{want}");
        }
    }

    #[test]
    fn two_edits_and_equal_strings_are_not_one() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (a, b) in [("amway", "amway"), ("amway", "anwey"), ("abc", "cab"), ("abcd", "ab"), ("", "")] {
            assert!(!one_edit(&c(a), &c(b)), "{a} / {b}");
        }
        for (a, b) in [("sony", "sonny"), ("sony", "sonu"), ("sony", "osny"), ("", "a")] {
            assert!(one_edit(&c(a), &c(b)), "{a} / {b}");
        }
    }
}
