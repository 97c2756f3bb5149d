//! Names one edit apart, found without scanning all names.
//!
//! Two ways of filing a key, by its length in characters:
//!
//! - Short keys (up to [`SHORT`]) are filed under themselves and each of
//!   their one-character deletions, and a query looks up itself and its own
//!   deletions. Two strings are at most one edit apart (substitution,
//!   insertion, deletion, or a swap of neighbours) only if they share one of
//!   these: a substitution at `i` leaves both with the same deletion at `i`,
//!   an insertion makes the key one of the query's deletions, a deletion the
//!   other way round, and a swap of `ab` to `ba` leaves deleting `a` from
//!   either the same.
//! - Longer keys are filed under their first half, their second half, and
//!   themselves with the middle pair swapped (all tagged with the length):
//!   one edit leaves one half intact, or is that swap. A query looks up, for
//!   each length one away, its own prefix and suffix of that length's halves.
//!
//! Halves of short keys are two or three characters, shared by thousands of
//! keys among 10^5 names, so a query would gather thousands of candidates;
//! hence deletions there. Deletions cost a key one entry per character, so
//! long keys, whose halves are rare, use halves (three entries). Hits are
//! candidates (some two edits apart, some hash collisions); [`one_edit`]
//! decides. All hashes are polynomial, so all deletions of a string take
//! time linear in its length.

/// Keys of at most this many characters are filed by their deletions.
pub(crate) const SHORT: usize = 7;

/// Multiplier of the polynomial hash (odd, so it is invertible mod 2^64).
const B: u64 = 0x100_0000_01b3;

fn finish(h: u64, len: usize, part: u64) -> u64 {
    super::table::mix(h ^ (len as u64 | part << 40).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn poly(chars: &[char]) -> u64 {
    chars.iter().fold(0u64, |h, &c| {
        h.wrapping_mul(B).wrapping_add(u64::from(c) + 1)
    })
}

/// Where a key is filed.
pub(crate) fn entries(key: &[char], out: &mut Vec<u64>, buf: &mut Vec<u64>) {
    if key.len() <= SHORT {
        deletions(key, out, buf);
        return;
    }
    out.clear();
    let l = key.len();
    out.push(finish(poly(&key[..l / 2]), l, 1));
    out.push(finish(poly(&key[l / 2..]), l, 2));
    // A swap across the middle changes both halves.
    let (a, b) = (l / 2 - 1, l / 2);
    let swapped = poly(&key[..a])
        .wrapping_mul(B)
        .wrapping_add(u64::from(key[b]) + 1)
        .wrapping_mul(B)
        .wrapping_add(u64::from(key[a]) + 1);
    let rest = &key[b + 1..];
    let h = rest.iter().fold(swapped, |h, &c| {
        h.wrapping_mul(B).wrapping_add(u64::from(c) + 1)
    });
    out.push(finish(h, l, 3));
}

/// Where to look for keys one edit away from `q`.
pub(crate) fn queries(q: &[char], out: &mut Vec<u64>, buf: &mut Vec<u64>) {
    let n = q.len();
    out.clear();
    if n <= SHORT + 1 {
        deletions(q, out, buf);
    }
    if n + 1 > SHORT {
        out.push(finish(poly(q), n, 3));
        for l in (n.saturating_sub(1)..=n + 1).filter(|&l| l > SHORT) {
            let (head, tail) = (l / 2, l - l / 2);
            if head <= n {
                out.push(finish(poly(&q[..head]), l, 1));
            }
            if tail <= n {
                out.push(finish(poly(&q[n - tail..]), l, 2));
            }
        }
    }
}

/// Hashes of `s` and of each of its one-character deletions, appended.
fn deletions(s: &[char], out: &mut Vec<u64>, buf: &mut Vec<u64>) {
    buf.clear();
    // buf[i] = hash of the first i characters; +1 so that no character hashes as zero.
    buf.push(0);
    for (i, &c) in s.iter().enumerate() {
        let last = buf[i];
        buf.push(last.wrapping_mul(B).wrapping_add(u64::from(c) + 1));
    }
    let n = s.len();
    let full = buf[n];
    out.push(finish(full, n, 0));
    // Deleting character i: prefix(i) · B^(n-1-i) + (full − prefix(i+1) · B^(n-1-i)).
    let mut pow = 1u64; // B^(n-1-i), built from the right
    for i in (0..n).rev() {
        let suffix = full.wrapping_sub(buf[i + 1].wrapping_mul(pow));
        out.push(finish(
            buf[i].wrapping_mul(pow).wrapping_add(suffix),
            n - 1,
            0,
        ));
        pow = pow.wrapping_mul(B);
    }
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

/// Whether `name`, one edit from `key`, is changed in a way no other
/// business's name would be: a character that is not a letter of the key's
/// alphabet put into or in place of a letter (A2nker, Am2ay, Sony6, Ənker
/// for a name spelt in ASCII), or a letter doubled in a key of five letters
/// or more (Amwaay, Haieer). A changed, dropped or swapped letter may as well
/// spell another name (Hair, Sonor, Nixon), so it is not.
pub(crate) fn disguised_edit(name: &[char], key: &[char]) -> bool {
    let ascii = key.iter().all(char::is_ascii);
    let foreign = |c: char| !c.is_alphabetic() || (ascii && !c.is_ascii());
    let p = name.iter().zip(key).take_while(|(x, y)| x == y).count();
    if name.len() == key.len() + 1 && name[p + 1..] == key[p..] {
        let extra = name[p];
        let doubled = (p > 0 && name[p - 1] == extra) || name.get(p + 1) == Some(&extra);
        foreign(extra) || (doubled && key.len() >= 5)
    } else if name.len() == key.len() && p < name.len() && name[p + 1..] == key[p + 1..] {
        foreign(name[p]) && !foreign(key[p])
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
    fn disguised_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (name, key, disguised) in [
            ("a2nker", "anker", true),
            ("1anker", "anker", true),
            ("anker1", "anker", true),
            ("am2ay", "amway", true),
            ("sony6", "sony", true),
            ("amwaay", "amway", true),
            ("aamway", "amway", true),
            ("haieer", "haier", true),
            ("ənker", "anker", true),
            ("soŋos", "sonos", true),
            // Four letters: Sonny is a name.
            ("sonny", "sony", false),
            ("sonor", "sonos", false),
            ("hair", "haier", false),
            ("amwai", "amway", false),
            ("naker", "anker", false),
            ("haioer", "haier", false),
        ] {
            assert_eq!(
                disguised_edit(&c(name), &c(key)),
                disguised,
                "{name} / {key}"
            );
        }
    }

    #[test]
    fn every_single_edit_is_found_and_is_one_edit() {
        let (mut filed, mut asked, mut buf) = (Vec::new(), Vec::new(), Vec::new());
        let keys = [
            "kestrelaudio",
            "奥罗拉健康",
            "amway",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "ab",
            "aab",
            "sonyx",
        ];
        for key in keys {
            let k: Vec<char> = key.chars().collect();
            entries(&k, &mut filed, &mut buf);
            for v in one_edit_variants(&k) {
                queries(&v, &mut asked, &mut buf);
                let text: String = v.iter().collect();
                assert!(
                    asked.iter().any(|h| filed.contains(h)),
                    "{key} not found from {text}"
                );
                assert!(one_edit(&v, &k) && one_edit(&k, &v), "{key} / {text}");
            }
        }
    }

    #[test]
    fn deletions_hash_like_the_strings_they_make() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        let (mut a, mut b, mut buf) = (Vec::new(), Vec::new(), Vec::new());
        deletions(&c("sonyx"), &mut a, &mut buf);
        for (i, want) in ["sony", "sonx", "soyx", "snyx", "onyx"].iter().enumerate() {
            b.clear();
            deletions(&c(want), &mut b, &mut buf);
            assert_eq!(a[i + 1], b[0], "{want}");
        }
    }

    #[test]
    fn two_edits_and_equal_strings_are_not_one() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (a, b) in [
            ("amway", "amway"),
            ("amway", "anwey"),
            ("abc", "cab"),
            ("abcd", "ab"),
            ("", ""),
        ] {
            assert!(!one_edit(&c(a), &c(b)), "{a} / {b}");
        }
        for (a, b) in [
            ("sony", "sonny"),
            ("sony", "sonu"),
            ("sony", "osny"),
            ("", "a"),
        ] {
            assert!(one_edit(&c(a), &c(b)), "{a} / {b}");
        }
    }
}
