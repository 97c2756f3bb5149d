//! Any text, with any hint, parses without panicking; an amount that comes
//! out prints as a decimal that parses back to itself.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use genuine_core::price::{self, Amount, PriceHint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    // Mostly real ISO codes, sometimes anything: both reach the parser from pages.
    let currency: Option<String> = match u8::arbitrary(&mut u).unwrap_or(0) % 4 {
        0 => None,
        1 => Some(String::arbitrary(&mut u).unwrap_or_default()),
        _ => Some(
            ["CNY", "JPY", "EUR", "USD", "VND", "PLN", "BRL", "CAD", "xyz"]
                [usize::from(u8::arbitrary(&mut u).unwrap_or(0)) % 9]
                .to_string(),
        ),
    };
    let decimal_separator = Option::<char>::arbitrary(&mut u).unwrap_or(None);
    let text = String::from_utf8_lossy(u.take_rest());
    let hint = PriceHint {
        currency: currency.as_deref(),
        decimal_separator,
    };
    let parsed = price::parse(&text, &hint);
    if let Some(amount) = parsed.amount {
        let printed = amount.to_string();
        let back = Amount::parse_decimal(&printed).expect("a printed amount parses");
        assert_eq!(back.to_string(), printed, "amount round trip");
    }
    if let Some(code) = parsed.currency {
        assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()), "{code}");
    }
});
