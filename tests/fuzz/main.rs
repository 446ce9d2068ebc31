//! Fuzzing with proptest: the CSV and XLSX readers, the whole extract stage and the
//! value parsers get random and mutated bytes; none may panic, and extract's
//! reconciliation (read = accepted + rejected) must hold for whatever it accepts.
//!
//! Seeds are the nasty files of `tests/fuzz/corpus` and the fixture month. CI runs the
//! default 256 cases per property; a long session sets PROPTEST_CASES, e.g.
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` (see README).

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;

use coverage::config::{Pipeline, SourceSpec};
use coverage::extract::{
    self, decode::decode, pseudonym::PseudonymKey, reader::read_table, values,
};
use coverage::{ids, names};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Seed files by extension: the corpus plus the fixture month's exports.
fn seeds(ext: &str) -> &'static [Vec<u8>] {
    static CSV: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    static XLSX: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let load = |ext: &str| {
        let mut out = Vec::new();
        for dir in [
            repo().join("tests/fuzz/corpus"),
            repo().join("tests/fixtures/small"),
        ] {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            for p in paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == ext))
            {
                out.push(std::fs::read(p).unwrap());
            }
        }
        assert!(!out.is_empty(), "no {ext} seeds");
        out
    };
    match ext {
        "csv" => CSV.get_or_init(|| load("csv")),
        _ => XLSX.get_or_init(|| load("xlsx")),
    }
}

/// Byte-level mutations: flip, overwrite, insert, delete, truncate.
fn mutate(seed: &[u8], ops: &[(u8, usize, u8)]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for &(op, at, byte) in ops {
        let i = if b.is_empty() { 0 } else { at % b.len() };
        match op % 5 {
            0 if !b.is_empty() => b[i] ^= 1 << (byte % 8),
            1 if !b.is_empty() => b[i] = byte,
            2 => b.insert(i, byte),
            3 if !b.is_empty() => {
                b.remove(i);
            }
            4 => b.truncate(i),
            _ => b.push(byte),
        }
    }
    b
}

fn scratch() -> PathBuf {
    thread_local! {
        static DIR: tempfile::TempDir = tempfile::tempdir().unwrap();
    }
    DIR.with(|d| d.path().to_path_buf())
}

fn spec(header_row: usize, header_rows: usize, encoding: &str) -> SourceSpec {
    toml::from_str(&format!(
        "name = \"f\"\nkind = \"unit_registry\"\nfiles = [\"f\"]\nheader_row = {header_row}\nheader_rows = {header_rows}\nencoding = \"{encoding}\"\n[columns]\nname = \"名称\"\nstatus = \"状态\"\ndistrict = \"区\"\n"
    ))
    .unwrap()
}

const ENCODINGS: [&str; 3] = ["auto", "utf-8", "gb18030"];

fn input(ext: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds(ext).len();
    prop_oneof![
        vec(any::<u8>(), 0..600),
        (0..n, vec((any::<u8>(), any::<usize>(), any::<u8>()), 0..24))
            .prop_map(move |(i, ops)| mutate(&seeds(ext)[i], &ops)),
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_reader_never_panics(bytes in input("csv"), header_row in 1usize..4, header_rows in 1usize..3, enc in 0usize..3) {
        let path = std::path::Path::new("input.csv");
        let _ = read_table(path, &bytes, &spec(header_row, header_rows, ENCODINGS[enc]));
        let _ = decode(path, &bytes, spec(1, 1, ENCODINGS[enc]).encoding);
    }

    #[test]
    fn xlsx_reader_never_panics(bytes in input("xlsx"), header_row in 1usize..4, header_rows in 1usize..3) {
        let _ = read_table(std::path::Path::new("input.xlsx"), &bytes, &spec(header_row, header_rows, "auto"));
    }

    #[test]
    fn extract_never_panics_and_reconciles(
        registry in input("csv"),
        members in input("csv"),
        policy in any::<bool>(),
    ) {
        let dir = scratch();
        std::fs::write(dir.join("registry.csv"), &registry).unwrap();
        std::fs::write(dir.join("members.csv"), &members).unwrap();
        let pipeline = dir.join("pipeline.toml");
        std::fs::write(&pipeline, pipeline_text(policy)).unwrap();
        let p = Pipeline::load(&pipeline).unwrap();
        let key = PseudonymKey::new(b"fuzzing-key-0123456789", "fuzz").unwrap();
        if let Ok(mut staged) = extract::extract(&p, "2026-11", &key) {
            for f in &staged.files {
                prop_assert_eq!(f.rows_read, f.rows_accepted + f.rows_rejected);
            }
            let records = staged.units.len() + staged.members.len();
            let accepted: u64 = staged.files.iter().map(|f| f.rows_accepted).sum();
            prop_assert_eq!(records as u64, accepted);
            let resolved = coverage::resolve::resolve(staged.units.clone(), &p.matching);
            let _ = coverage::link::link(&mut staged, &resolved, &p.matching, &coverage::feedback::Feedback::default());
        }
    }

    #[test]
    fn value_parsers_never_panic(s in any::<String>(), t in "[0-9０-９A-Za-zＡ-Ｚ北京市有限责任公司（）()\\-/. 年月日人,E+]{0,24}") {
        for x in [&s, &t] {
            let code = ids::normalize_code(x);
            let _ = ids::is_valid_uscc(&code);
            let _ = ids::is_valid_org_code(&code);
            let _ = ids::is_valid_reg_no(&code);
            let _ = ids::org_code_of_uscc(&code);
            let _ = ids::parse_id_number(x);
            let _ = ids::mask_id_number(x);
            let _ = names::normalize_name(x, &["北京市".into(), "北京".into()]);
            let _ = values::parse_count(x);
            let _ = values::parse_date(x);
            let _ = values::is_scientific(x);
        }
    }
}

fn pipeline_text(flag: bool) -> String {
    let policy = if flag { "flag" } else { "reject" };
    format!(
        r#"
[pipeline]
name = "fuzz"
city_code = "110000"
city_name = "北京市"
name_prefixes = ["北京市", "北京"]
[districts]
"110101" = "东城区"
"110105" = "朝阳区"
[[source]]
name = "registry"
kind = "unit_registry"
files = ["registry.csv"]
invalid_check_digit = "{policy}"
[source.columns]
uscc = ["统一社会信用代码", "a"]
reg_no = "注册号"
name = ["企业名称", "名称", "b"]
status = ["登记状态", "状态"]
district = ["所属区", "区"]
employees = "从业人数"
established = "成立日期"
[source.defaults]
status = "active"
district = "东城区"
[[source]]
name = "members"
kind = "members"
files = ["members.csv"]
invalid_check_digit = "{policy}"
[source.columns]
id_number = ["公民身份号码", "a"]
category = ["人员类别", "b"]
status = "党籍状态"
org_id = "所在党组织编码"
employer_name = "工作单位"
employer_uscc = "工作单位统一社会信用代码"
[source.defaults]
category = "formal"
status = "normal"
"#
    )
}

#[test]
fn corpus_files_read_without_panic() {
    for ext in ["csv", "xlsx"] {
        for (i, bytes) in seeds(ext).iter().enumerate() {
            let path = std::path::PathBuf::from(format!("seed{i}.{ext}"));
            let _ = read_table(&path, bytes, &spec(1, 1, "auto"));
        }
    }
}
