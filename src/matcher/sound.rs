//! Names that sound like a brand's (安列 for 安利, 海耳 for 海尔): one CJK
//! character swapped for another with the same toneless reading, the rest of
//! the name as it is. Readings are data (`data/pinyin.tsv`, generated from
//! pypinyin by `scripts/data/gen_pinyin.py`), for the characters common
//! enough to appear in shop names.
//!
//! Keys are filed under their characters' first readings; a query looks up
//! every combination of its own characters' readings (a character may have
//! several: 还 is hai and huan), at most [`MAX_COMBINATIONS`]. The table is
//! built the first time a query needs it, so registries without Chinese
//! names, and worker wakes that judge no Chinese page, never pay for it.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::table::{hash, Table};
use super::{is_cjk, Filing};
use crate::registry::compiled::Compiled;

const SOUND: u64 = 103;
/// Reading combinations tried per query: polyphones multiply.
const MAX_COMBINATIONS: usize = 16;
/// Longer keys are not filed (brand names are shorter).
const MAX_LEN: usize = 8;

fn readings() -> &'static HashMap<char, Vec<&'static str>> {
    static READINGS: OnceLock<HashMap<char, Vec<&'static str>>> = OnceLock::new();
    READINGS.get_or_init(|| {
        include_str!("../../data/pinyin.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (c, rs) = l.split_once('\t')?;
                let mut cs = c.chars();
                let (Some(c), None) = (cs.next(), cs.next()) else {
                    return None;
                };
                Some((c, rs.split(' ').filter(|r| !r.is_empty()).collect()))
            })
            .collect()
    })
}

/// The readings of `c`, if it is a character the table knows.
fn of(c: char) -> Option<&'static [&'static str]> {
    readings()
        .get(&c)
        .map(Vec::as_slice)
        .filter(|r| !r.is_empty())
}

fn key_hash(syllables: &[&str]) -> u64 {
    hash(SOUND, syllables.join(" ").as_bytes())
}

/// Files every all-CJK key under its characters' first readings.
pub(super) fn build(data: &Compiled) -> Table {
    let mut f = Filing::default();
    let mut syl = Vec::new();
    for k in 0..data.key_count() as u32 {
        let skeleton = data.key(k).skeleton();
        syl.clear();
        let filed = skeleton.chars().count() <= MAX_LEN
            && skeleton.chars().all(|c| {
                is_cjk(c)
                    && of(c).is_some_and(|r| {
                        syl.push(r[0]);
                        true
                    })
            });
        if filed && syl.len() >= 2 {
            f.file(key_hash(&syl), k);
        }
    }
    f.table()
}

/// Candidate keys for a name's skeleton: each combination of readings.
pub(super) fn candidates(table: &Table, skeleton: &[char]) -> Vec<u32> {
    if skeleton.len() < 2 || skeleton.len() > MAX_LEN {
        return Vec::new();
    }
    let Some(options): Option<Vec<&[&str]>> = skeleton.iter().map(|&c| of(c)).collect() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pick = vec![0usize; options.len()];
    'combinations: for _ in 0..MAX_COMBINATIONS {
        let syl: Vec<&str> = pick.iter().zip(&options).map(|(&i, o)| o[i]).collect();
        out.extend(table.get(key_hash(&syl)));
        // Next combination, odometer style; done when it wraps around.
        let mut i = 0;
        loop {
            if i == pick.len() {
                break 'combinations;
            }
            pick[i] += 1;
            if pick[i] < options[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The two characters share a reading.
pub(super) fn related(x: char, y: char) -> bool {
    match (of(x), of(y)) {
        (Some(rx), Some(ry)) => rx.iter().any(|r| ry.contains(r)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::one_char_apart;

    fn one_swap(a: &[char], b: &[char]) -> bool {
        one_char_apart(a, b, related)
    }

    #[test]
    fn one_same_sounding_character_and_nothing_else() {
        let c = |s: &str| s.chars().collect::<Vec<char>>();
        assert!(one_swap(&c("安列"), &c("安利")));
        assert!(one_swap(&c("海耳"), &c("海尔")));
        assert!(
            !one_swap(&c("安利"), &c("安利")),
            "the same name is no swap"
        );
        assert!(!one_swap(&c("案列"), &c("安利")), "two characters changed");
        assert!(!one_swap(&c("安克"), &c("安利")), "another sound");
        assert!(!one_swap(&c("安列家"), &c("安利")), "another length");
    }
}
