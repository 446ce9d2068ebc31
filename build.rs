//! Compiles every file of sql/ into the binary: adding a definition is adding a file.
//! The list is written to `$OUT_DIR/sql_files.rs` as (file stem, text) pairs, by name.

use std::io::Write;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the sql/ folder")
        .map(|e| e.expect("an entry of sql/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("sql_files.rs");
    let mut f = std::fs::File::create(out).expect("write sql_files.rs");
    writeln!(f, "pub const SQL_FILES: &[(&str, &str)] = &[").unwrap();
    for name in names {
        let path = dir.join(format!("{name}.sql"));
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            f,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
