//! The marketplaces Genuine knows by name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A marketplace. `Web` stands for a brand's or anyone's own web shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Taobao,
    Tmall,
    Jd,
    Pinduoduo,
    Douyin,
    Amazon,
    Ebay,
    Aliexpress,
    Shopee,
    Lazada,
    Walmart,
    Etsy,
    Temu,
    Web,
    // Added after `Web`: compiled registries store a platform as its index
    // in `ALL`, so new marketplaces go last and old files keep their meaning.
    Target,
    Bestbuy,
    Bol,
    Flipkart,
}

/// A platform name that is not one of those Genuine knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform '{0}' (expected one of: {list})", list = Platform::NAMES.join(" "))]
pub struct UnknownPlatform(pub String);

impl Platform {
    pub const ALL: [Platform; 18] = [
        Platform::Taobao,
        Platform::Tmall,
        Platform::Jd,
        Platform::Pinduoduo,
        Platform::Douyin,
        Platform::Amazon,
        Platform::Ebay,
        Platform::Aliexpress,
        Platform::Shopee,
        Platform::Lazada,
        Platform::Walmart,
        Platform::Etsy,
        Platform::Temu,
        Platform::Web,
        Platform::Target,
        Platform::Bestbuy,
        Platform::Bol,
        Platform::Flipkart,
    ];
    pub const NAMES: [&'static str; 18] = [
        "taobao",
        "tmall",
        "jd",
        "pinduoduo",
        "douyin",
        "amazon",
        "ebay",
        "aliexpress",
        "shopee",
        "lazada",
        "walmart",
        "etsy",
        "temu",
        "web",
        "target",
        "bestbuy",
        "bol",
        "flipkart",
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// A person-facing name for messages.
    pub fn display_name(self) -> &'static str {
        [
            "Taobao",
            "Tmall",
            "JD",
            "Pinduoduo",
            "Douyin",
            "Amazon",
            "eBay",
            "AliExpress",
            "Shopee",
            "Lazada",
            "Walmart",
            "Etsy",
            "Temu",
            "the web",
            "Target",
            "Best Buy",
            "bol",
            "Flipkart",
        ][self as usize]
    }
}

impl FromStr for Platform {
    type Err = UnknownPlatform;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Self::NAMES
            .iter()
            .position(|n| *n == t)
            .map(|i| Self::ALL[i])
            .ok_or_else(|| UnknownPlatform(s.chars().take(40).collect()))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiled registries store a platform as its index in `ALL`: the
    /// indexes files were written with must keep their meaning.
    #[test]
    fn indexes_in_files_keep_their_meaning() {
        let written = "taobao tmall jd pinduoduo douyin amazon ebay aliexpress shopee lazada \
                       walmart etsy temu web target bestbuy bol flipkart";
        for (i, name) in written.split_whitespace().enumerate() {
            assert_eq!(Platform::ALL[i].as_str(), name);
            assert_eq!(Platform::ALL[i] as usize, i);
            assert_eq!(name.parse::<Platform>(), Ok(Platform::ALL[i]));
        }
    }
}
