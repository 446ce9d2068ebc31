//! Progress of a run on stderr, for a person watching a terminal: the stage, and while
//! the inputs are read, the rows read, the rate and the time left. Off unless the
//! command line turns it on (`coverage run` does when stderr is a terminal and
//! `--quiet` is not given), so CI logs, pipes and tests see nothing extra.
//!
//! One bar at a time, kept here rather than passed down: the stages report into it from
//! whichever thread they run on, and nothing they compute depends on it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static ON: AtomicBool = AtomicBool::new(false);
static ROWS: AtomicU64 = AtomicU64::new(0);
static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Turns progress on or off for this process.
pub fn enable(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// A stage shown while it runs; the bar ends, with the stage's time, when it is dropped.
pub struct Stage(Option<ProgressBar>);

/// Starts showing `name` (a spinner with the time so far).
pub fn stage(name: &str) -> Stage {
    if !ON.load(Ordering::Relaxed) {
        return Stage(None);
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix:<9} {elapsed:>4} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(name.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    ROWS.store(0, Ordering::Relaxed);
    *BAR.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar.clone());
    Stage(Some(bar))
}

/// The stage has `bytes` of input to read: from now on it shows how far it is, the
/// rows read, their rate and the time left.
pub fn expect_bytes(bytes: u64) {
    if let Some(bar) = BAR.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        bar.set_length(bytes.max(1));
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {prefix:<9} {elapsed:>4} [{bar:20}] {bytes}/{total_bytes} {msg}, ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
    }
}

/// `rows` more rows, `bytes` more of the input, read.
pub fn advance(bytes: u64, rows: u64) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    let total = ROWS.fetch_add(rows, Ordering::Relaxed) + rows;
    if let Some(bar) = BAR.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        bar.inc(bytes);
        let secs = bar.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!("{total} rows, {:.0}/s", total as f64 / secs));
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.disable_steady_tick();
            bar.set_style(
                ProgressStyle::with_template("✓ {prefix:<9} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.finish();
            *BAR.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }
}
