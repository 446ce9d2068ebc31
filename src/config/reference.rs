//! docs/pipeline.md, the reference of the pipeline file, written from the declarations
//! themselves: every section and key from the types serde reads the file into (their doc
//! comments, names, types and defaults, by way of their JSON Schema), an example of each
//! from the shipped pipelines/sample.toml, the canonical fields of each source kind
//! (src/config/fields.rs) and every vocabulary's words with their labels. A unit test
//! fails when the file is stale.

use serde_json::{Map, Value};

/// The schema of a `$ref`'d or inline schema, resolved against `defs`.
fn resolve<'a>(schema: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => defs.get(r.trim_start_matches("#/$defs/")).unwrap_or(schema),
        None => schema,
    }
}

/// A schema as a reader names its type: `string`, `list of string`, `one of `a` | `b``.
fn type_name(schema: &Value, defs: &Map<String, Value>) -> String {
    let s = resolve(schema, defs);
    if let Some(words) = s.get("enum").and_then(Value::as_array) {
        let words: Vec<String> = words.iter().map(|w| format!("`{}`", plain(w))).collect();
        return format!("one of {}", words.join(" | "));
    }
    if let Some(c) = s.get("const") {
        return format!("`{}`", plain(c));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = s.get(key).and_then(Value::as_array) {
            let names: Vec<String> = variants
                .iter()
                .filter(|v| v.get("type").and_then(Value::as_str) != Some("null"))
                .map(|v| type_name(v, defs))
                .collect();
            return names.join(" or ");
        }
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    match types
        .iter()
        .find(|t| **t != "null")
        .copied()
        .unwrap_or("any")
    {
        "array" => match (s.get("items"), s.get("prefixItems")) {
            (_, Some(Value::Array(parts))) => {
                let parts: Vec<String> = parts.iter().map(|p| type_name(p, defs)).collect();
                format!("[{}]", parts.join(", "))
            }
            (Some(items), _) => format!("list of {}", type_name(items, defs)),
            _ => "list".into(),
        },
        "object" => match s.get("properties").and_then(Value::as_object) {
            // A map whose keys are the words of a vocabulary (its schema lists them).
            Some(keys) if schema.get("$ref").is_none() => {
                let value = keys
                    .values()
                    .next()
                    .map(|v| type_name(v, defs))
                    .unwrap_or_default();
                let keys: Vec<String> = keys.keys().map(|k| format!("`{k}`")).collect();
                format!("table of {} → {value}", keys.join(" | "))
            }
            Some(_) => "table (below)".into(),
            None => match s.get("additionalProperties") {
                Some(v) if v.is_object() => format!("table of name → {}", type_name(v, defs)),
                _ => "table".into(),
            },
        },
        other => other.to_string(),
    }
}

/// A JSON value as the reference shows it: a string unquoted, anything else as JSON.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A markdown table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The example of `key` in the sample pipeline's `table`, as TOML, shortened.
fn example(table: Option<&toml::Value>, key: &str) -> String {
    let Some(v) = table.and_then(|t| t.get(key)) else {
        return String::new();
    };
    let text = match v {
        toml::Value::Table(t) => {
            let inner: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            format!("{{ {} }}", inner.join(", "))
        }
        other => other.to_string(),
    };
    let short: String = text.chars().take(70).collect();
    let short = if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    };
    format!("`{}`", short.replace('`', "'"))
}

/// One section: its keys with type, default, example and meaning.
fn section(
    md: &mut String,
    schema: &Value,
    defs: &Map<String, Value>,
    sample: Option<&toml::Value>,
) {
    let s = resolve(schema, defs);
    if let Some(about) = s.get("description").and_then(Value::as_str) {
        md.push_str(&format!("{}\n\n", about.replace('\n', " ")));
    }
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    md.push_str("| key | type | default | example | meaning |\n|---|---|---|---|---|\n");
    let empty = Map::new();
    let properties = s
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (key, p) in properties {
        let default = if required.contains(&key.as_str()) {
            "required".to_string()
        } else {
            match p.get("default") {
                Some(Value::Null) | None => "none".into(),
                Some(d) => format!("`{}`", cell(&d.to_string())),
            }
        };
        let about = p
            .get("description")
            .or_else(|| resolve(p, defs).get("description"))
            .and_then(Value::as_str)
            .unwrap_or("");
        md.push_str(&format!(
            "| `{key}` | {} | {default} | {} | {} |\n",
            cell(&type_name(p, defs)),
            example(sample, key),
            cell(about)
        ));
    }
}

/// docs/pipeline.md as the declarations say it now.
pub fn pipeline_reference() -> String {
    let schema = schemars::schema_for!(super::Pipeline);
    let root = schema.as_value();
    let defs = root
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let sample: toml::Value = toml::from_str(include_str!("../../pipelines/sample.toml"))
        .expect("pipelines/sample.toml is TOML");
    let mut md = String::from(
        "# The pipeline file\n\n\
         Generated from the types the pipeline file is read into (src/config/: their doc \
         comments, keys, types and defaults) with examples from pipelines/sample.toml \
         (`coverage::config::pipeline_reference`); `COVERAGE_BLESS=1 cargo test --release \
         --lib pipeline_reference` writes it again. `coverage check --pipeline FILE --period P` \
         reads a file against it and names what is wrong.\n\n\
         A pipeline file is TOML: the sections below, `[districts]`, and one `[[source]]` per \
         export layout.\n",
    );
    let properties = root
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, p) in &properties {
        let s = resolve(p, &defs);
        match name.as_str() {
            "source" => {
                md.push_str("\n## `[[source]]`\n\n");
                let spec = s.get("items").expect("source is a list");
                let first = sample
                    .get("source")
                    .and_then(|v| v.as_array())
                    .and_then(|a| a.first());
                section(&mut md, spec, &defs, first);
                md.push_str("\n### A value map: `[source.values.<field>]`\n\n");
                section(&mut md, &defs["ValueMap"], &defs, None);
            }
            "districts" => {
                md.push_str("\n## `[districts]`\n\n");
                if let Some(about) = p.get("description").and_then(Value::as_str) {
                    md.push_str(&format!("{about} Required.\n"));
                }
            }
            _ => {
                md.push_str(&format!("\n## `[{name}]`\n\n"));
                section(&mut md, p, &defs, sample.get(name));
            }
        }
    }
    md.push_str("\n## The canonical fields of each source kind\n");
    let fields = super::fields_reference();
    let body = fields.split_once('\n').map_or("", |(_, rest)| rest);
    md.push_str(&body.replace("\n## ", "\n### "));
    md.push_str(&vocabularies());
    md
}

/// Every vocabulary's words with their labels, as the labels table has them.
fn vocabularies() -> String {
    let mut md = String::from(
        "\n## Canonical values\n\nThe words the tables write (a value map maps an export's \
         values onto those of its field), with the labels the reports show (the `labels` table).\n",
    );
    let mut set = "";
    for l in crate::labels::labels() {
        if l.set != set {
            set = l.set;
            md.push_str(&format!("\n### `{set}`\n\n| word | 标签 |\n|---|---|\n"));
        }
        md.push_str(&format!("| `{}` | {} |\n", l.code, cell(l.label)));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_reference_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/pipeline.md");
        let now = pipeline_reference();
        for key in [
            "`formal_members_for_single_org`",
            "`header_row`",
            "`exact`",
            "`sector`",
        ] {
            assert!(now.contains(key), "{key} missing from the reference");
        }
        if std::env::var_os("COVERAGE_BLESS").is_some_and(|v| v != "0") {
            std::fs::write(&path, &now).unwrap();
        }
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            written == now,
            "docs/pipeline.md is stale: COVERAGE_BLESS=1 cargo test --release --lib pipeline_reference"
        );
    }
}
