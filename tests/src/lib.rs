//! End-to-end tests of Work Worlds live in this crate's `tests/` folder; the library is
//! empty.
