//! `coverage check`: reads and validates every input of a pipeline for a period and
//! reports per file what was read, accepted and rejected, with the commonest reasons.
//! It writes nothing: a department can check a month's exports before running it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{check_period, Pipeline};
use crate::error::{Error, Result};
use crate::extract::{self, pseudonym::PseudonymKey, InputFile};

/// One input file's check.
pub struct FileCheck {
    pub file: InputFile,
    /// Reject reasons, commonest first, with counts.
    pub reasons: Vec<(String, u64)>,
}

pub fn check(pipeline: &Path, period: &str) -> Result<Vec<FileCheck>> {
    check_period(period).map_err(|m| Error::config(pipeline, m))?;
    let p = Pipeline::load(pipeline)?;
    // The same key as `run`: a check that passes where the run would stop for want of a
    // key (exit 3) would tell the department the month is ready when it is not.
    let key = PseudonymKey::from_pipeline(&p)?;
    let staged = extract::extract(&p, period, &key)?;
    let mut by_file: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    for r in &staged.rejects {
        *by_file
            .entry(&**r.lineage.file())
            .or_default()
            .entry(r.summary())
            .or_default() += 1;
    }
    Ok(staged
        .files
        .iter()
        .map(|f| {
            let mut reasons: Vec<(String, u64)> = by_file
                .get(f.path.as_str())
                .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
                .unwrap_or_default();
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            FileCheck {
                file: f.clone(),
                reasons,
            }
        })
        .collect())
}
