//! All integration tests, in one binary (one link, one place to look).
//! Each module reads its cases from a fixture table under `tests/fixtures/`.

mod price;
