//! The output folder's lock: one command at a time publishes into a folder (a run, an
//! appraisal, a roll-up); a lock left by a killed process is taken over.

use std::path::{Path, PathBuf};

use super::{io, pid_alive};
use crate::error::{Error, Result};

const LOCK_FILE: &str = ".lock";

/// Holds an output folder for one run; a second run on the same folder is refused
/// while the first one lives. A lock left by a killed run is taken over.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    pub fn acquire(out: &Path) -> Result<OutputLock> {
        std::fs::create_dir_all(out).map_err(io(out))?;
        let path = out.join(LOCK_FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    write!(f, "{}", std::process::id()).map_err(io(&path))?;
                    return Ok(OutputLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid != std::process::id() && pid_alive(pid) => {
                            return Err(Error::Locked {
                                path: out.to_path_buf(),
                                pid,
                            })
                        }
                        // The run that held it is gone: its lock is stale.
                        _ => std::fs::remove_file(&path).map_err(io(&path))?,
                    }
                }
                Err(e) => return Err(Error::output(&path, e)),
            }
        }
        Err(Error::output(&path, "could not take the lock"))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
