//! The run manifest (`runs/<period>/manifest.json`): what a run read, made and took,
//! written by the run (src/run.rs) and read back, typed, by the dashboard and the
//! roll-up.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::Rules;
use crate::error::{Error, Result};
use crate::extract::InputFile;

/// What `manifest.json` says about a run: written by the run, read back (typed) by the
/// dashboard and the roll-up.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub period: String,
    pub started_at: String,
    pub finished_at: String,
    pub pipeline: PipelineInfo,
    pub key_origin: String,
    /// Tells whether two runs used the same pseudonymization key; not the key.
    pub key_fingerprint: String,
    pub inputs: Vec<InputFile>,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    pub reject_reasons: BTreeMap<String, u64>,
    pub outputs: BTreeMap<String, u64>,
    /// Wall time of each stage.
    pub stage_seconds: Vec<(String, f64)>,
    /// CPU time (user + system, all threads) of each stage: above the wall time where a
    /// stage ran in parallel.
    pub stage_cpu_seconds: Vec<(String, f64)>,
    /// Wall time of the commit (the merge into coverage.duckdb, the renames, the
    /// changes of a following month): after the manifest is written, so printed only.
    #[serde(skip)]
    pub commit_seconds: f64,
    /// Wall time of the inserts of the merge into coverage.duckdb, which run beside
    /// publish and reports (so within their time; the merge's commit is in the commit).
    #[serde(default)]
    pub merge_seconds: f64,
    /// The process's peak memory (MiB) when each stage ended: where the peak was reached.
    pub stage_peak_mib: Vec<(String, f64)>,
    /// Wall time of each definition of sql/ in the aggregate stage, in run order.
    #[serde(default)]
    pub definition_seconds: Vec<(String, f64)>,
    pub rules: Rules,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PipelineInfo {
    pub path: String,
    pub name: String,
    pub sha256: String,
    /// The city the pipeline's districts belong to (GB/T 2260), for titles and roll-ups;
    /// empty in the manifests of versions before it was recorded.
    #[serde(default)]
    pub city_code: String,
    #[serde(default)]
    pub city_name: String,
}

impl Manifest {
    /// The manifest of `period`'s run in the output folder `out`, with its bytes; None
    /// where the folder has none. One that does not read as a manifest is an error.
    pub fn read(out: &Path, period: &str) -> Result<Option<(Manifest, Vec<u8>)>> {
        let path = crate::publish::manifest_path(out, period);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::output(&path, e)),
        };
        let manifest = serde_json::from_slice(&bytes).map_err(|e| Error::Input {
            path: path.clone(),
            message: format!("not a run manifest: {e}"),
        })?;
        Ok(Some((manifest, bytes)))
    }
}
