//! The currency of the country a shop's domain names (`data/country_currencies.tsv`,
//! generated from the CLDR by `scripts/data/gen_country_currencies.py`).
//!
//! Only for profiles that ask (the generic one): a shop on `olx.com.pk` that
//! prints "Rs" charges Pakistani rupees, and one on a `.ca` domain printing
//! "$" Canadian dollars. The currency is only a hint: a sign that names one
//! currency ("€", "zł") still wins, and a page's own `priceCurrency` comes
//! first.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The currency of `host`'s country domain, the longest listed suffix
/// (`com.co` before `co`, which is left out as a name sold worldwide).
pub(crate) fn currency(host: &str) -> Option<&'static str> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        include_str!("../../data/country_currencies.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                Some((cols.next()?, cols.next()?))
            })
            .collect()
    });
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    // "shop.example.com.co": try "example.com.co", "com.co", "co".
    host.match_indices('.')
        .map(|(i, _)| &host[i + 1..])
        .find_map(|suffix| table.get(suffix).copied())
}

#[cfg(test)]
mod tests {
    use super::currency;

    #[test]
    fn country_domains() {
        for (host, want) in [
            ("www.olx.com.pk", Some("PKR")),
            ("www.bestbuy.ca", Some("CAD")),
            ("www.argos.co.uk", Some("GBP")),
            ("www.mercadolibre.com.co", Some("COP")),
            ("www.paris.cl", Some("CLP")),
            ("WWW.OTTO.DE.", Some("EUR")),
            ("shop.example.com", None),
            ("startup.io", None),
            ("brand.co", None),
            ("watch.tv", None),
            ("shop.example.eu", None),
            ("localhost", None),
            ("", None),
        ] {
            assert_eq!(currency(host), want, "{host}");
        }
    }
}
