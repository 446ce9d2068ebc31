//! One way for the test binaries to show a DuckDB cell as text: NULL, booleans and
//! integers as written, doubles to six places, text as is.

use duckdb::types::Value;

pub fn cell(v: Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Boolean(b) => b.to_string(),
        Value::BigInt(n) => n.to_string(),
        Value::Int(n) => n.to_string(),
        Value::HugeInt(n) => n.to_string(),
        Value::Double(f) => format!("{f:.6}"),
        Value::Text(s) => s,
        other => format!("{other:?}"),
    }
}
