//! coverage: the monthly "two coverages" statistics (党的组织和工作覆盖) of non-public
//! enterprises and social organizations, from registry, party-organization and
//! party-member exports.
//!
//! The modules follow the data flow: [`extract`] → [`resolve`] → [`link`] → [`assess`]
//! → [`aggregate`] (SQL in `sql/`) → [`publish`] ([`reports`], [`dashboard`]); [`run`]
//! chains them for one period.

// A row-level reject carries the row's lineage (source, file, row) by value: it is the
// ordinary outcome of reading a bad row, made once per such row, not an exceptional path
// worth a heap allocation per field read.
#![allow(clippy::result_large_err)]

pub mod aggregate;
pub mod appraise;
pub mod assess;
pub mod calendar;
pub mod changes;
pub mod check;
pub mod config;
pub mod dashboard;
pub mod database;
pub mod declared_table;
pub mod dictionary;
pub mod error;
pub mod extract;
pub mod failpoint;
pub mod feedback;
pub mod figures;
pub mod glob;
pub mod identity;
pub mod ids;
pub mod init;
pub mod labels;
pub mod link;
pub mod manifest;
pub mod matching;
pub mod model;
pub mod names;
pub mod process;
pub mod progress;
pub mod publish;
pub mod regions;
pub mod reports;
pub mod resolve;
pub mod rollup;
pub mod run;
pub mod stage_tables;
pub mod tables_reference;
pub mod text;
pub mod vocabulary;

pub use error::{Error, Result};

/// The stages' allocator: mimalloc, not glibc's. The record stages make and free
/// millions of small texts on two threads; glibc's allocator took a quarter of extract's
/// CPU and kept freed blocks resident (see docs/decisions.md, Engineering).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The hash map of the stages: keys are ids, codes and names of this month's records,
/// hashed millions of times; no key comes from an adversary, so no SipHash.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// The hash set of the stages (see [`FastMap`]).
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
