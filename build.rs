//! Compiles every file of sql/ into the binary: adding a definition is adding a file.
//! The list is written to `$OUT_DIR/sql_files.rs` as (file stem, text) pairs, by name;
//! a file missing from the list fails the test `every_sql_file_is_a_definition`.

use std::io::Write;

fn main() {
    // Read at run time: the compiled build script may serve another checkout too.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = std::path::Path::new(&manifest_dir).join("sql");
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
        // The text is included by the crate's own compile, from its own manifest
        // folder: two checkouts sharing a target folder may share this list's build
        // (cargo hashes path packages by their place in the workspace), never its SQL.
        writeln!(
            f,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/sql/{name}.sql\"))),"
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
