//! The browser I/O layer in a service worker, as Chrome runs the background.
#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_service_worker);
include!("web/cases.rs");
