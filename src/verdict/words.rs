//! Reasons in words, in the shopper's language.
//!
//! The texts are data (`data/reasons/<lang>.tsv`), one table per language
//! with the same keys, so a translator edits a table and never the code. The
//! evidence stays the same in every language; only its words change.

use super::Evidence;
use crate::platform::Platform;

/// A language the reasons are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
    Fr,
    De,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::ZhCn, Lang::Fr, Lang::De];

    /// The language for a BCP 47 tag or a browser locale (`zh-CN`, `zh_CN`,
    /// `fr-CA`, `de`); English for anything else, since a reason in English
    /// beats no reason.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            // Traditional-script locales would want their own table; simplified
            // is still closer for them than English.
            "zh" => Lang::ZhCn,
            "fr" => Lang::Fr,
            "de" => Lang::De,
            _ => Lang::En,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
            Lang::Fr => "fr",
            Lang::De => "de",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../data/reasons/en.tsv"),
            Lang::ZhCn => include_str!("../../data/reasons/zh-CN.tsv"),
            Lang::Fr => include_str!("../../data/reasons/fr.tsv"),
            Lang::De => include_str!("../../data/reasons/de.tsv"),
        }
    }

    /// The entry for `key`, falling back to English (never reached for the
    /// shipped tables: a test checks every key is in every table).
    fn word(self, key: &str) -> &'static str {
        lookup(self.table(), key)
            .or_else(|| lookup(Lang::En.table(), key))
            .unwrap_or("")
    }
}

fn lookup(table: &'static str, key: &str) -> Option<&'static str> {
    table.lines().find_map(|l| {
        let (k, v) = l.split_once('\t')?;
        (k == key).then_some(v.trim_end_matches('\r'))
    })
}

/// The keys of a table, for the completeness test.
#[cfg(test)]
fn keys(lang: Lang) -> Vec<&'static str> {
    lang.table()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(k, _)| k))
        .collect()
}

/// Fills the template for `ev` in `lang`. `brand_name` is the brand as the
/// registry names it (brand names are not translated: they are what the
/// shopper sees on the page).
pub(crate) fn render(ev: &Evidence, brand_name: Option<&str>, lang: Lang) -> String {
    let code = ev.code();
    let json = serde_json::to_value(ev).unwrap_or_default();
    let string = |k: &str| json.get(k).and_then(|v| v.as_str());
    let field = |k: &str| -> String {
        match k {
            "brand" => brand_name.unwrap_or(lang.word("the_brand")).to_string(),
            "platform" => {
                let p = string("platform").and_then(|p| p.parse::<Platform>().ok());
                let name = Platform::NAMES[p.unwrap_or(Platform::Web) as usize];
                lang.word(&format!("platform.{name}")).to_string()
            }
            "how" => match ev {
                Evidence::LookalikeName { how, .. } => how
                    .iter()
                    .map(|t| {
                        let key = serde_json::to_value(t).ok();
                        let key = key.as_ref().and_then(|v| v.as_str()).unwrap_or("other");
                        match lang.word(&format!("how.{key}")) {
                            "" => lang.word("how.other"),
                            w => w,
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(lang.word("list_separator")),
                _ => String::new(),
            },
            "percent" => json
                .get("ratio")
                .and_then(|v| v.as_f64())
                .map(|r| format!("{:.0}", r * 100.0))
                .unwrap_or_default(),
            "store_name" => string("store_name")
                .unwrap_or(lang.word("this_store"))
                .to_string(),
            k => match json.get(k) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) if !v.is_null() => v.to_string(),
                _ => String::new(),
            },
        }
    };
    fill(lang.word(code), field)
}

/// Replaces `{name}` placeholders.
fn fill(template: &str, field: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str(&field(&rest[open + 1..open + close]));
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(k, _)| k))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let en = keys(Lang::En);
        for lang in Lang::ALL {
            let mut have = keys(lang);
            assert_eq!(have.len(), en.len(), "{}: {have:?}", lang.tag());
            have.sort_unstable();
            let mut want = en.clone();
            want.sort_unstable();
            assert_eq!(have, want, "{}", lang.tag());
            for k in &en {
                assert!(!lang.word(k).is_empty(), "{} {k} is empty", lang.tag());
                assert_eq!(
                    placeholders(lang.word(k)),
                    placeholders(Lang::En.word(k)),
                    "{} {k}",
                    lang.tag()
                );
            }
        }
        for p in Platform::NAMES {
            assert!(
                en.contains(&format!("platform.{p}").as_str()),
                "platform.{p}"
            );
        }
    }

    #[test]
    fn language_tags() {
        for (tag, want) in [
            ("zh-CN", Lang::ZhCn),
            ("zh_CN", Lang::ZhCn),
            ("zh", Lang::ZhCn),
            ("fr-CA", Lang::Fr),
            ("de", Lang::De),
            ("DE-at", Lang::De),
            ("en-US", Lang::En),
            ("ja", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::from_tag(tag), want, "{tag}");
        }
    }

    #[test]
    fn a_lookalike_reason_in_each_language() {
        let ev = Evidence::LookalikeName {
            resembles: "美乐家官方旗舰店".into(),
            how: vec![
                crate::normalize::Trick::SimilarCjk,
                crate::normalize::Trick::Typo,
            ],
            score: 0.9,
        };
        for (lang, want) in [
            (Lang::En, "Looks like 美乐家官方旗舰店, but is a different store (similar-looking characters, a changed letter)."),
            (Lang::ZhCn, "看起来像美乐家官方旗舰店，但不是同一家店铺（形近字、改了一个字母）。"),
            (Lang::Fr, "Ressemble à 美乐家官方旗舰店, mais c'est une autre boutique (caractères d'aspect semblable, une lettre changée)."),
            (Lang::De, "Sieht aus wie 美乐家官方旗舰店, ist aber ein anderer Shop (ähnlich aussehende Schriftzeichen, ein geänderter Buchstabe)."),
        ] {
            assert_eq!(render(&ev, Some("美乐家"), lang), want);
        }
    }

    #[test]
    fn platform_names_are_translated() {
        let ev = Evidence::UnlistedSeller {
            store_name: Some("某店".into()),
            platform: Platform::Tmall,
        };
        assert!(render(&ev, Some("Haier"), Lang::ZhCn).contains("在天猫上"));
        assert!(render(&ev, Some("Haier"), Lang::En).contains("on Tmall."));
    }
}
