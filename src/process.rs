//! What the process used, for the figures a run and a benchmark print.

/// Peak resident memory of this process in MiB (Linux `VmHWM`), if the system says.
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time this process has used so far (user + system, every thread), in seconds
/// (Linux `/proc/self/stat`, in clock ticks of 1/100 s); 0 where the system does not say.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) may hold spaces: count fields after its closing ')'.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// This machine's memory in bytes (Linux `MemTotal`), if the system says.
pub fn total_memory_bytes() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A size as people write it: `16GB`, `16G`, `512MB`, `2.5GiB`, or bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_uppercase();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let scale: u64 = match unit.trim().trim_end_matches('B').trim_end_matches('I') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("`{text}` is not a size (e.g. 16GB, 512MB)")),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 16GB, 512MB)"))?;
    if n <= 0.0 {
        return Err(format!("`{text}`: a size must be above 0"));
    }
    Ok((n * scale as f64) as u64)
}

/// Bytes as GiB with one decimal, for messages.
pub fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

/// A folder removed when its guard goes, however the command ends (spill and scratch
/// folders).
pub struct RemoveOnDrop(pub std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// mimalloc's `purge_delay` option: the one before `use_numa_nodes` in mimalloc.h's
/// `mi_option_e` (libmimalloc-sys names the one, not the other).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// Freed memory goes back to the system at once, not after mimalloc's default second:
/// a stage frees a structure just before the next builds its own, and the two would
/// otherwise be resident together (1M units: member extract's peak 2,440 → 2,308 MiB).
pub fn return_freed_memory_promptly() {
    // SAFETY: sets one of mimalloc's options; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// Hands the memory the process has freed back to the system, where an allocator keeps
/// it (mimalloc the stages', glibc DuckDB's: after a run's row tables are freed, hundreds
/// of MB stayed resident and DuckDB's memory came on top of them).
pub fn release_freed_memory() {
    // SAFETY: mi_collect only returns mimalloc's free pages to the system (the stages'
    // allocator, lib.rs); it takes no pointer and touches no memory in use.
    unsafe { libmimalloc_sys::mi_collect(true) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only returns free pages of glibc's own heap (DuckDB's) to
        // the system; it takes no pointer and touches no memory in use.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Peak memory as the command lines print it.
pub fn peak_memory_text() -> String {
    peak_memory_mib().map_or("unknown".into(), |m| format!("{m:.0} MiB"))
}

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--quiet`: `say!` prints nothing (errors still go to stderr).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints a line to stdout unless `--quiet`; a closed pipe (e.g. `coverage … | head`) ends the program
/// quietly instead of panicking.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if $crate::process::quiet() {
        } else if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit($crate::error::exit::OK);
            }
        }
    }};
}

/// The end of a command: its error and the chain of causes rendered for people on
/// stderr, and the exit code README.md documents.
pub fn finish(program: &str, result: crate::Result<()>) -> std::process::ExitCode {
    use crate::error::exit;
    match result {
        Ok(()) => std::process::ExitCode::from(exit::OK as u8),
        Err(e) => {
            eprintln!("{program}: error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            std::process::ExitCode::from(e.exit_code() as u8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_people_write_them() {
        assert_eq!(parse_size("16GB"), Ok(16 << 30));
        assert_eq!(parse_size("16g"), Ok(16 << 30));
        assert_eq!(parse_size("512MB"), Ok(512 << 20));
        assert_eq!(parse_size("2.5GiB"), Ok(5 << 29));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0GB").is_err());
        assert!(parse_size("16PB").is_err());
    }
}
