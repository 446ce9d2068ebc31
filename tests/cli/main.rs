//! Integration tests: they drive the real `coverage` binary on fixtures and read its
//! outputs back. One test binary, shared helpers in `util`.

mod util;

mod bad_input;
mod failpoints;
mod feedback;
mod init;
mod kill;
mod ledger;
mod privacy;
mod relations;
mod reports;
mod repository;
mod rollup;
mod rules;
mod run_fixture;
mod run_periods;
mod sample_and_synth;
