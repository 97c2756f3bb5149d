//! The browser I/O layer in a window, as Firefox runs the background page.
#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
include!("web/cases.rs");
