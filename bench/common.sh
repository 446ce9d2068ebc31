# Sourced by the bench/ scripts: a release build of every binary and example, their
# folder in $bin, and month_in WORK UNITS SEED, which writes a synthetic month of the
# standard layout into WORK unless one is there already.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coverage-target}"
cargo build --release --locked -q --workspace --bins --examples
bin="$CARGO_TARGET_DIR/release"
month_in() {
    if [ ! -f "$1/pipeline.toml" ]; then
        "$bin/coverage-synth" write --out "$1" --units "$2" --seed "$3" --period 2026-11 > /dev/null
    fi
}
