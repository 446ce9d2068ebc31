//! Compiles every file of sql/ and sql/rollup/ into the binary: adding a definition is
//! adding a file. The list is written to `$OUT_DIR/sql_files.rs` as (file stem, path,
//! text), by name;
//! a file missing from the list fails the test `every_sql_file_is_a_definition`.

use std::io::Write;

fn main() {
    // Read at run time: the compiled build script may serve another checkout too.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    // sql/ holds the monthly and appraisal definitions, sql/rollup/ the roll-up's.
    let mut files: Vec<(String, String)> = Vec::new();
    for folder in ["sql", "sql/rollup"] {
        let dir = std::path::Path::new(&manifest_dir).join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in std::fs::read_dir(&dir).expect("the sql/ folder") {
            let p = entry.expect("an entry of sql/").path();
            if p.extension().is_some_and(|e| e == "sql") {
                println!("cargo:rerun-if-changed={}", p.display());
                let name = p.file_stem().unwrap().to_string_lossy().into_owned();
                files.push((
                    name,
                    format!("{folder}/{}", p.file_name().unwrap().to_string_lossy()),
                ));
            }
        }
    }
    files.sort();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("sql_files.rs");
    let mut f = std::fs::File::create(out).expect("write sql_files.rs");
    writeln!(f, "pub const SQL_FILES: &[(&str, &str, &str)] = &[").unwrap();
    for (name, file) in files {
        // The text is included by the crate's own compile, from its own manifest
        // folder: two checkouts sharing a target folder may share this list's build
        // (cargo hashes path packages by their place in the workspace), never its SQL.
        writeln!(
            f,
            "    ({name:?}, {file:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{file}\"))),"
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
