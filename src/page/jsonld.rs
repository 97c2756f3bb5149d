//! schema.org Product/Offer data from JSON-LD blocks.
//!
//! Pages nest products in `@graph`, a page's `mainEntity`, arrays, `offers` objects or arrays, and
//! `AggregateOffer`s; brand and seller are strings or objects with a `name`.
//! The walk is bounded in depth and in nodes visited, because a hostile page
//! can ship deep or huge JSON.

use serde_json::Value;

use super::{MAX_JSONLD_BLOCKS, MAX_JSONLD_BYTES};

const MAX_DEPTH: usize = 12;
const MAX_NODES: usize = 5_000;

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Product {
    pub name: Option<String>,
    pub brand: Option<String>,
    pub gtin: Option<String>,
    pub price: Option<String>,
    /// The price is an `AggregateOffer`'s `lowPrice`: the lowest of several
    /// offers or variants ("from"), not the price of the item shown.
    pub price_is_low: bool,
    pub currency: Option<String>,
    pub seller: Option<String>,
}

/// The first product described across the blocks, with its first offer.
pub(crate) fn read(blocks: &[String]) -> Product {
    let mut out = Product::default();
    let mut budget = MAX_NODES;
    for block in blocks.iter().take(MAX_JSONLD_BLOCKS) {
        if block.len() > MAX_JSONLD_BYTES {
            continue;
        }
        // serde_json refuses nesting past 128 levels, so parsing itself is bounded.
        let Ok(value) = serde_json::from_str::<Value>(unwrapped(block)) else {
            continue;
        };
        walk(&value, 0, &mut budget, &mut out);
        if out.name.is_some() {
            break;
        }
    }
    out
}

/// The JSON inside a block that a page wrapped the way pages once hid
/// scripts from old browsers and XHTML parsers: `/*<![CDATA[*/ … /*]]>*/`,
/// `//<![CDATA[ … //]]>`, `<!-- … -->`. Search engines read such blocks,
/// so shops ship them (Tchibo's shops do); the JSON itself is untouched.
fn unwrapped(block: &str) -> &str {
    const OPEN: [&str; 5] = [
        "/*<![CDATA[*/",
        "//<![CDATA[",
        "<![CDATA[",
        "<!--",
        "/*<!--*/",
    ];
    const CLOSE: [&str; 5] = ["/*]]>*/", "//]]>", "]]>", "-->", "/*-->*/"];
    let mut s = block.trim();
    if let Some(rest) = OPEN.iter().find_map(|o| s.strip_prefix(o)) {
        s = rest.trim_start();
        if let Some(rest) = CLOSE.iter().find_map(|c| s.strip_suffix(c)) {
            s = rest.trim_end();
        }
    }
    s
}

fn walk(v: &Value, depth: usize, budget: &mut usize, out: &mut Product) {
    if depth > MAX_DEPTH || *budget == 0 {
        return;
    }
    *budget -= 1;
    match v {
        Value::Array(items) => items.iter().for_each(|i| walk(i, depth + 1, budget, out)),
        Value::Object(map) => {
            // A `ProductGroup` (a product sold in sizes or colours) is the
            // product; its offers may sit in its variants.
            if (has_type(v, "Product") || has_type(v, "ProductGroup")) && out.name.is_none() {
                out.name = text(map.get("name"));
                out.brand = named(map.get("brand"));
                out.gtin = ["gtin13", "gtin", "gtin14", "gtin12", "gtin8"]
                    .iter()
                    .find_map(|k| text(map.get(*k)));
                if let Some(offers) = map.get("offers") {
                    offer(offers, depth + 1, budget, out);
                }
                if out.price.is_none() {
                    if let Some(Value::Array(variants)) = map.get("hasVariant") {
                        for variant in variants {
                            if let Some(offers) = variant.get("offers") {
                                offer(offers, depth + 2, budget, out);
                            }
                            if out.price.is_some() {
                                break;
                            }
                        }
                    }
                }
            } else if (has_type(v, "Offer") || has_type(v, "AggregateOffer")) && out.price.is_none()
            {
                offer(v, depth, budget, out);
            }
            if let Some(graph) = map.get("@graph") {
                walk(graph, depth + 1, budget, out);
            }
            // A page that describes itself (`WebPage`, `ItemPage`) names its
            // product as its `mainEntity` (Jumia's product pages).
            if let Some(main) = map.get("mainEntity") {
                walk(main, depth + 1, budget, out);
            }
        }
        _ => {}
    }
}

fn offer(v: &Value, depth: usize, budget: &mut usize, out: &mut Product) {
    if depth > MAX_DEPTH || *budget == 0 {
        return;
    }
    *budget -= 1;
    match v {
        Value::Array(items) => items.iter().for_each(|i| offer(i, depth + 1, budget, out)),
        Value::Object(map) if out.price.is_none() => {
            out.price = text(map.get("price"));
            if out.price.is_none() {
                out.price = text(map.get("lowPrice"));
                out.price_is_low = out.price.is_some();
            }
            out.currency = text(map.get("priceCurrency"));
            // The price may be given as a `PriceSpecification` (or a list of
            // them: the first is the one the offer is sold at).
            if out.price.is_none() {
                let spec = match map.get("priceSpecification") {
                    Some(Value::Array(a)) => a.first(),
                    other => other,
                };
                if let Some(Value::Object(spec)) = spec {
                    out.price = text(spec.get("price"));
                    out.currency = out
                        .currency
                        .take()
                        .or_else(|| text(spec.get("priceCurrency")));
                }
            }
            if out.seller.is_none() {
                out.seller = named(map.get("seller"));
            }
            if out.price.is_none() {
                if let Some(inner) = map.get("offers") {
                    offer(inner, depth + 1, budget, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether a node is of type `t` ("Product", "schema:Product",
/// "http://schema.org/Product"). Case is ignored: schema.org's names are
/// case-sensitive, but shops write "product" (John Lewis) and search engines
/// still read it.
fn has_type(v: &Value, t: &str) -> bool {
    let is = |s: &str| {
        let name = s.rsplit(['/', ':', '#']).next().unwrap_or(s);
        name.eq_ignore_ascii_case(t)
    };
    match v.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty() && !super::is_placeholder(&s))
        .then(|| s.chars().take(super::MAX_VALUE_CHARS).collect())
}

fn named(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Object(m) => text(m.get("name")),
        Value::Array(a) => a.iter().find_map(|x| named(Some(x))),
        other => text(Some(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_graph_and_offer_arrays() {
        let block = r#"{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
          {"@type":"Product","name":"Tea","brand":{"@type":"Brand","name":"Aurora"},"gtin13":"6901234567892",
           "offers":[{"@type":"Offer","price":"12.50","priceCurrency":"EUR","seller":{"name":"Shop A"}}]}]}"#;
        let p = read(&[block.to_string()]);
        assert_eq!(p.name.as_deref(), Some("Tea"));
        assert_eq!(p.brand.as_deref(), Some("Aurora"));
        assert_eq!(p.gtin.as_deref(), Some("6901234567892"));
        assert_eq!(p.price.as_deref(), Some("12.50"));
        assert_eq!(p.currency.as_deref(), Some("EUR"));
        assert_eq!(p.seller.as_deref(), Some("Shop A"));
    }

    /// (block, price, currency, seller).
    type Shape = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    /// Shapes schema.org allows for a product's price, as shops write them.
    #[test]
    fn price_shapes() {
        let cases: &[Shape] = &[
            (
                r#"{"@type":"Product","name":"Tea","offers":{"@type":"Offer","priceSpecification":{"@type":"UnitPriceSpecification","price":19.9,"priceCurrency":"EUR"},"seller":"Shop B"}}"#,
                Some("19.9"),
                Some("EUR"),
                Some("Shop B"),
            ),
            (
                r#"{"@type":"Product","name":"Tea","offers":{"@type":"Offer","priceCurrency":"GBP","priceSpecification":[{"price":"5.00"},{"price":"7.00"}]}}"#,
                Some("5.00"),
                Some("GBP"),
                None,
            ),
            (
                r#"{"@type":"ProductGroup","name":"Shirt","hasVariant":[{"@type":"Product","name":"Shirt S"},{"@type":"Product","offers":{"price":"30","priceCurrency":"USD"}}]}"#,
                Some("30"),
                Some("USD"),
                None,
            ),
            (
                r#"{"@context":"http://schema.org","@type":"ItemPage","name":"Socks | Shop","mainEntity":{"@type":"Product","name":"Socks","offers":{"@type":"Offer","price":"19.00","priceCurrency":"EGP"}}}"#,
                Some("19.00"),
                Some("EGP"),
                None,
            ),
            (
                r#"{"@type":"Product","name":"Tea","offers":{"@type":"AggregateOffer","lowPrice":"3.10","highPrice":"9","priceCurrency":"CNY"}}"#,
                Some("3.10"),
                Some("CNY"),
                None,
            ),
        ];
        for (block, price, currency, seller) in cases {
            let p = read(&[block.to_string()]);
            assert_eq!(
                (
                    p.price.as_deref(),
                    p.currency.as_deref(),
                    p.seller.as_deref()
                ),
                (*price, *currency, *seller),
                "{block}"
            );
            // Only an AggregateOffer's lowPrice is the low end of a range.
            assert_eq!(p.price_is_low, block.contains("lowPrice"), "{block}");
        }
    }

    /// Blocks as shops ship them around the JSON, and type names as they
    /// spell them: each is read as the product it describes.
    #[test]
    fn wrapped_blocks_and_type_spellings() {
        let json = r#"{"@type":"Product","name":"Tea","offers":{"@type":"Offer","price":"9.95","priceCurrency":"EUR"}}"#;
        let wrapped = [
            format!("\n/*<![CDATA[*/\n{json}\n/*]]>*/\n"),
            format!("//<![CDATA[\n{json}\n//]]>"),
            format!("<![CDATA[{json}]]>"),
            format!("<!--\n{json}\n-->"),
            format!("  {json}  "),
        ];
        let spelled = [
            json.replace("\"Product\"", "\"product\""),
            json.replace("\"Product\"", "\"schema:Product\""),
            json.replace("\"Product\"", "\"https://schema.org/Product\""),
            json.replace("\"Product\"", "[\"PRODUCT\",\"Thing\"]"),
            json.replace("\"Offer\"", "\"offer\""),
        ];
        for block in wrapped.iter().chain(&spelled) {
            let p = read(std::slice::from_ref(block));
            assert_eq!(
                (p.name.as_deref(), p.price.as_deref(), p.currency.as_deref()),
                (Some("Tea"), Some("9.95"), Some("EUR")),
                "{block}"
            );
        }
        // Not a product: a type whose name only contains the word, and a
        // wrapper closed twice, which leaves no JSON.
        for block in [
            json.replace("\"Product\"", "\"ProductModelX\""),
            json.replace("\"Product\"", "\"SomeProduct\""),
            format!("<!--{json}-->-->"),
            "<!--".to_string(),
            "/*<![CDATA[*/ /*]]>*/".to_string(),
            "<!---->".to_string(),
        ] {
            assert_eq!(read(std::slice::from_ref(&block)).name, None, "{block}");
        }
    }

    #[test]
    fn hostile_blocks_are_bounded() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let wide = format!("[{}]", vec![r#"{"@type":"Thing"}"#; 50_000].join(","));
        assert_eq!(read(&[deep, wide, "not json".into()]), Product::default());
    }
}
