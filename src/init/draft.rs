//! The pipeline file `coverage init` drafts: each source from its group of tables (its
//! columns, file patterns, sheets, header row and value maps), the districts and the
//! city from the data, written as commented TOML in which every guess says what it was
//! based on and every open decision is marked `TO DECIDE`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::words::{self, Match};
use super::{groups, patterns, relative, Found, Group};
use crate::config::SourceKind;
use crate::vocabulary::SourceField as F;

/// A drafted value map of one field.
#[derive(Default)]
struct ValueDraft {
    exact: BTreeMap<String, String>,
    contains: Vec<(String, String)>,
    default: Option<String>,
    /// Values the fallback default maps (said in a comment).
    by_default: Vec<String>,
    /// Values nothing maps: each a decision.
    undecided: Vec<String>,
    /// What the map was drafted from, where not the column's values.
    origin: Option<&'static str>,
}

struct SourceDraft {
    name: String,
    kind: SourceKind,
    files: Vec<String>,
    sheets: Vec<String>,
    header_row: usize,
    header_rows: usize,
    columns: Vec<(F, Vec<String>)>,
    unmapped: Vec<String>,
    values: Vec<(F, ValueDraft)>,
    /// Lines said about the source (comments).
    notes: Vec<String>,
    /// Required fields some rows leave empty: (field, its words), a commented
    /// `[source.defaults]` line each, to decide.
    empty: Vec<(F, String)>,
}

pub(super) struct Draft {
    sources: Vec<SourceDraft>,
    districts: Vec<Place>,
    city: Option<Place>,
    key_file: Option<String>,
    pub(super) period: Option<String>,
    pub(super) decisions: Vec<String>,
}

/// The distinct values of a field over a group's tables, with how often each occurs.
fn distinct(group: &Group, field: F) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for t in &group.tables {
        for v in t.values(field) {
            *seen.entry(v.to_string()).or_insert(0) += 1;
        }
    }
    seen
}

/// A member list whose 公民身份号码 column mostly holds no ID number (a member number, a
/// masked number): every such row would be rejected, so it is a decision, not a
/// surprise in the run's rejects. No value is shown (they may be ID numbers).
fn ids_that_are_none(g: &Group, columns: &[(F, Vec<String>)]) -> Option<String> {
    if g.kind != SourceKind::Members || !columns.iter().any(|(f, _)| *f == F::IdNumber) {
        return None;
    }
    let values = distinct(g, F::IdNumber);
    let total: usize = values.values().sum();
    let none: usize = values
        .iter()
        .filter(|(v, _)| {
            let v = crate::extract::values::without_text_marks(v.trim());
            matches!(
                crate::ids::parse_id_number(v),
                crate::ids::IdNumber::Malformed
            )
        })
        .map(|(_, n)| n)
        .sum();
    (none * 2 > total).then(|| {
        format!(
            "{none} of {total} values of `id_number` (公民身份号码) are no 15- or 18-character \
             ID number: those members would be rejected — map the column that holds \
             公民身份号码"
        )
    })
}

/// The value map of a field drafted from its values; None where every value is
/// already a canonical word.
fn value_draft(
    kind: SourceKind,
    field: F,
    values: &BTreeMap<String, usize>,
    social: bool,
) -> Option<ValueDraft> {
    let spec = crate::config::fields(kind)
        .iter()
        .find(|f| f.field == field)?;
    if spec.values.is_empty() || values.keys().all(|v| spec.values.contains(&v.as_str())) {
        return None;
    }
    let rules = words::values(kind, field);
    let mut d = ValueDraft::default();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for v in values.keys() {
        if spec.values.contains(&v.as_str()) {
            d.exact.insert(v.clone(), v.clone());
        } else if let Some((_, _, word)) =
            rules.iter().find(|(m, t, _)| *m == Match::Exact && t == v)
        {
            d.exact.insert(v.clone(), word.to_string());
        } else if let Some(i) = rules
            .iter()
            .position(|(m, t, _)| *m == Match::Contains && v.contains(t))
        {
            used.insert(i);
        } else if let Some(word) = words::fallback(kind, field, social) {
            d.default = Some(word.to_string());
            d.by_default.push(v.clone());
        } else {
            d.undecided.push(v.clone());
        }
    }
    d.contains = used
        .into_iter()
        .map(|i| (rules[i].1.to_string(), rules[i].2.to_string()))
        .collect();
    Some(d)
}

/// The values of a field nothing maps, each a decision; past eight, one decision names
/// the most frequent and counts the rest (a column read as the wrong field has a value
/// per row, and a list of thousands would hide every other decision). Each is marked in
/// the file all the same.
fn undecided_values(
    undecided: &[String],
    seen: &BTreeMap<String, usize>,
    (source, spec): (&str, &crate::config::FieldSpec),
    decisions: &mut Vec<String>,
) {
    let field = spec.name();
    let words = spec.values.join(", ");
    if undecided.len() <= 8 {
        for v in undecided {
            decisions.push(format!("source {source}: value `{v}` of `{field}` ({} rows) maps to no word — add it to [source.values.{field}] (one of {words})", seen[v]));
        }
        return;
    }
    let mut by_rows: Vec<&String> = undecided.iter().collect();
    by_rows.sort_by_key(|v| std::cmp::Reverse(seen[*v]));
    let shown: Vec<String> = by_rows[..5]
        .iter()
        .map(|v| format!("`{v}` ({})", seen[*v]))
        .collect();
    let rows: usize = undecided.iter().map(|v| seen[v]).sum();
    decisions.push(format!("source {source}: {} values of `{field}` ({rows} rows) map to no word — {}, … (each marked in the file); add them to [source.values.{field}] (one of {words}), or check that the column is `{field}`", undecided.len(), shown.join(", ")));
}

/// An export of party organizations without a 组建方式 column: the organization's name
/// says how it was formed (中共某街道非公企业联合支部委员会, 某公司功能型党支部,
/// 某街道挂靠联合支部), so `formation` is read from the name column, where there is one.
fn formation_from_name(columns: &mut Vec<(F, Vec<String>)>) -> Option<ValueDraft> {
    let (_, headers) = columns.iter().find(|(f, _)| *f == F::Name)?.clone();
    columns.push((F::Formation, headers));
    // The words of the organization's level, not 联合 or 联建 alone: a company's name
    // may hold them (北京卓联建筑工程有限公司).
    let rules = [
        ("功能型", "functional"),
        ("挂靠", "affiliated"),
        ("联合党", "joint"),
        ("联合支部", "joint"),
        ("联合总支", "joint"),
        ("联建党", "joint"),
        ("联建支部", "joint"),
    ];
    Some(ValueDraft {
        contains: rules
            .iter()
            .map(|(t, w)| (t.to_string(), w.to_string()))
            .collect(),
        default: Some("single".into()),
        origin: Some("From the organization's name: how it was formed, where its name says so."),
        ..ValueDraft::default()
    })
}

/// A source's name from its first file: the file name without its month stamp,
/// extension and separators.
fn source_name(pattern: &str, taken: &BTreeSet<String>) -> String {
    let file = pattern.rsplit('/').next().unwrap_or(pattern);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    // The month stamp: its placeholders and what joins them ({yyyy}年{mm}月, {yyyy}.{mm}).
    let stem = match (stem.find('{'), stem.rfind('}')) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{}", &stem[..a], stem[b + 1..].trim_start_matches('月'))
        }
        _ => stem.to_string(),
    };
    let name: String = stem
        .replace('*', "")
        .replace(['（', '）', '(', ')'], "")
        .replace("__", "_")
        .trim_matches(['_', '-', ' ', '.'])
        .to_string();
    let name = if name.is_empty() {
        "source".to_string()
    } else {
        name
    };
    let mut unique = name.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{name}_{n}");
        n += 1;
    }
    unique
}

/// The district a registry's district cell names: a 6-digit code, or the name up to its
/// 区 or 县 with a leading city removed (北京市丰台区市场监督管理局 → 丰台区).
fn district_name(text: &str) -> Option<String> {
    let end = text
        .char_indices()
        .find(|(_, c)| *c == '区' || *c == '县')?
        .0;
    let head = &text[..end + '区'.len_utf8()];
    let head = match head.find('市') {
        Some(i) if head[i + '市'.len_utf8()..].chars().count() >= 2 => {
            &head[i + '市'.len_utf8()..]
        }
        _ => head,
    };
    // A development zone or park has an office of its own but is no 区县.
    let zone = ["开发区", "园区", "保税区", "试验区", "示范区", "实验区"]
        .iter()
        .any(|z| head.ends_with(z));
    (head.chars().count() >= 2 && !zone).then(|| head.to_string())
}

/// A place as (GB/T 2260 code, name): a district, or the city.
type Place = (String, String);

/// The districts of the data (name → the code most of its units' USCCs carry in their
/// 登记管理机关 digits), and the city: its code from theirs, its name from the names.
fn districts(tables: &[Found], decisions: &mut Vec<String>) -> (Vec<Place>, Option<Place>) {
    let mut codes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut cities: BTreeMap<String, usize> = BTreeMap::new();
    for t in tables.iter().filter(|t| t.kind == SourceKind::UnitRegistry) {
        let at = |f: F| {
            t.columns
                .iter()
                .find(|(g, _)| *g == f)
                .and_then(|(_, h)| t.headers.iter().position(|x| x == h))
        };
        // The district column, else the registering authority's (whose area code the
        // USCC carries).
        let Some(d) = at(F::District).or_else(|| at(F::Authority)) else {
            continue;
        };
        let (u, n) = (at(F::Uscc), at(F::Name));
        for row in &t.rows {
            let cell =
                |i: Option<usize>| i.and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("");
            for text in [cell(Some(d)), cell(n)] {
                if let Some(i) = text
                    .find('市')
                    .filter(|&i| (2..=3).contains(&text[..i].chars().count()))
                {
                    *cities
                        .entry(text[..i + '市'.len_utf8()].to_string())
                        .or_insert(0) += 1;
                }
            }
            let Some(name) = district_name(cell(Some(d))) else {
                continue;
            };
            let uscc = cell(u);
            let code = uscc
                .get(2..8)
                .filter(|c| c.bytes().all(|b| b.is_ascii_digit()) && !c.ends_with("00"));
            let entry = codes.entry(name).or_default();
            if let Some(code) = code {
                *entry.entry(code.to_string()).or_insert(0) += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (name, seen) in codes {
        match seen.into_iter().max_by_key(|(c, n)| (*n, std::cmp::Reverse(c.clone()))) {
            Some((code, _)) => out.push((code, name)),
            None => decisions.push(format!(
                "district {name}: no unit of it has a USCC to read its code from — add it to [districts] with its GB/T 2260 code"
            )),
        }
    }
    out.sort();
    let prefixes: BTreeSet<&str> = out.iter().map(|(c, _)| &c[..2]).collect();
    let city_code = match prefixes.iter().next() {
        Some(p) if prefixes.len() == 1 && crate::regions::MUNICIPALITIES.contains(p) => {
            Some(format!("{p}0000"))
        }
        Some(_) => {
            let cities: BTreeSet<&str> = out.iter().map(|(c, _)| &c[..4]).collect();
            (cities.len() == 1).then(|| format!("{}00", cities.iter().next().unwrap()))
        }
        None => None,
    };
    // A municipality is named by GB/T 2260; another city by the commonest "…市" its
    // units' names and district cells begin with.
    let municipality = city_code
        .as_deref()
        .filter(|c| c.ends_with("0000"))
        .and_then(crate::regions::province_name)
        .map(str::to_string);
    let city_name =
        municipality.or_else(|| cities.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c));
    let city = match (city_code, city_name) {
        (Some(code), Some(name)) => Some((code, name)),
        _ => {
            decisions.push("the city: its code and name could not be read from the districts — set [pipeline] city_code and city_name".into());
            None
        }
    };
    (out, city)
}

impl Draft {
    pub(super) fn new(tables: &[Found], exports: &Path, base: &Path) -> Draft {
        let mut decisions = Vec::new();
        let mut period = None;
        let mut sources = Vec::new();
        let mut taken = BTreeSet::new();
        for g in groups(tables) {
            let files: BTreeSet<PathBuf> = g.tables.iter().map(|t| t.path.clone()).collect();
            let (files, p) = patterns(&files, base);
            period = period.or(p);
            let name = source_name(&files[0], &taken);
            taken.insert(name.clone());
            sources.push(source(&g, name, files, &mut decisions));
        }
        let (districts, city) = districts(tables, &mut decisions);
        let key = exports.join("pseudonym.key");
        let key_file = key.is_file().then(|| relative(base, &key));
        decisions.push("the districts: only those with units in these exports are listed — add any other district of the city to [districts]".into());
        if key_file.is_none() {
            decisions.push("the pseudonymization key: set COVERAGE_PSEUDONYM_KEY (at least 16 characters, the same every month) before `coverage check` and `coverage run`".into());
        }
        Draft {
            sources,
            districts,
            city,
            key_file,
            period,
            decisions,
        }
    }

    pub(super) fn source_names(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|s| format!("{} ({}): {}", s.name, s.kind.as_str(), s.files.join(", ")))
            .collect()
    }
}

/// One source drafted from its group, its open decisions added to `decisions`.
fn source(g: &Group, name: String, files: Vec<String>, decisions: &mut Vec<String>) -> SourceDraft {
    let mut columns: Vec<(F, Vec<String>)> = Vec::new();
    for t in &g.tables {
        for (f, h) in &t.columns {
            match columns.iter_mut().find(|(g, _)| g == f) {
                Some((_, hs)) if !hs.contains(h) => hs.push(h.clone()),
                Some(_) => {}
                None => columns.push((*f, vec![h.clone()])),
            }
        }
    }
    let order = |f: &F| {
        crate::config::fields(g.kind)
            .iter()
            .position(|s| s.field == *f)
    };
    columns.sort_by_key(|(f, _)| order(f));
    let social_words = ["社会团体", "民办非企业单位", "社会服务机构", "基金会"];
    let kinds = distinct(g, F::EntityType);
    let social = kinds.keys().any(|k| social_words.contains(&k.as_str()));
    let mut values = Vec::new();
    let mut notes = Vec::new();
    let mut empty_fields = Vec::new();
    for spec in crate::config::fields(g.kind) {
        let mapped = columns.iter().any(|(f, _)| *f == spec.field);
        if spec.required && !mapped && g.kind == SourceKind::PartyOrgs && spec.field == F::Formation
        {
            if let Some(d) = formation_from_name(&mut columns) {
                notes.push("No column gives 组建方式: it is read from the organization's name (功能型 → functional, 挂靠 → affiliated, 联合 → joint, any other → single); check it.".into());
                decisions.push(format!("source {name}: no column gives 组建方式 (`formation`) — drafted from the organization's name (…功能型党支部 functional, …挂靠… affiliated, …联合支部 joint, any other single): check it"));
                values.push((F::Formation, d));
                continue;
            }
        }
        let stood_in = crate::config::stand_in(g.kind, spec.field)
            .iter()
            .find(|other| columns.iter().any(|(f, _)| f == *other));
        if let (true, false, Some(other)) = (spec.required, mapped, stood_in) {
            notes.push(format!(
                "No column gives {} (`{}`): {} (`{other}`) stands in for it; check it.",
                spec.label(),
                spec.name(),
                other.label()
            ));
            continue;
        }
        if spec.required && !mapped {
            decisions.push(format!("source {name}: no column names the required field `{}` ({}) — map one in [source.columns] or set [source.defaults]", spec.name(), spec.label()));
        }
        if !mapped || spec.values.is_empty() {
            continue;
        }
        let seen = distinct(g, spec.field);
        let empty: usize =
            g.tables.iter().map(|t| t.rows.len()).sum::<usize>() - seen.values().sum::<usize>();
        if spec.required && empty > 0 && stood_in.is_none() {
            decisions.push(format!("source {name}: {empty} rows leave `{}` empty and would be rejected — set [source.defaults] {} to one of {} if they mean one", spec.name(), spec.name(), spec.values.join(", ")));
            notes.push(format!("TO DECIDE: {empty} rows leave `{}` empty (rejected as they are); to read them as one word, uncomment the [source.defaults] lines below with it.", spec.name()));
            empty_fields.push((spec.field, spec.values.join("|")));
        }
        if let Some(d) = value_draft(g.kind, spec.field, &seen, social) {
            undecided_values(&d.undecided, &seen, (&name, spec), decisions);
            values.push((spec.field, d));
        }
    }
    if let Some(why) = ids_that_are_none(g, &columns) {
        decisions.push(format!("source {name}: {why}"));
        notes.push(format!("TO DECIDE: {why}"));
    }
    let unmapped: BTreeSet<String> = g
        .tables
        .iter()
        .flat_map(|t| t.unmapped.iter().cloned())
        .collect();
    let sheets: Vec<String> = g
        .tables
        .iter()
        .filter_map(|t| t.sheet.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    SourceDraft {
        name,
        kind: g.kind,
        files,
        sheets,
        header_row: g.tables[0].header_row,
        header_rows: g.tables[0].header_rows,
        columns,
        unmapped: unmapped.into_iter().collect(),
        values,
        notes,
        empty: empty_fields,
    }
}

/// A TOML string.
/// A text for a comment line: a header wrapped over two lines (a line break inside a
/// quoted cell) must not end the comment.
fn one_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", items.join(", "))
}

impl Draft {
    /// The pipeline file, with a head saying what is left to decide.
    pub(super) fn write(&self, unplaced: &[String]) -> String {
        let mut t = String::from("# Drafted by `coverage init` from the exports it was given. Every guess says what it\n# was based on; every open decision is marked TO DECIDE (also listed here).\n");
        for d in &self.decisions {
            let _ = writeln!(t, "# TO DECIDE: {}", one_line(d));
        }
        for u in unplaced {
            let _ = writeln!(t, "# NOT PLACED: {}", one_line(u));
        }
        let (code, name) = self
            .city
            .clone()
            .unwrap_or_else(|| ("TO DECIDE".into(), "TO DECIDE".into()));
        let prefixes = vec![name.clone(), name.trim_end_matches('市').to_string()];
        let _ = write!(
            t,
            "\n[pipeline]\nname = {}\ndescription = \"drafted by coverage init\"\n# The city: its code from the districts' codes; its name GB/T 2260's for a municipality,\n# else the commonest \"…市\" in the names.\ncity_code = {}\ncity_name = {}\n# Leading parts of unit names that say nothing about the unit: the city's name.\nname_prefixes = {}\n",
            q("draft"),
            q(&code),
            q(&name),
            list(&prefixes)
        );
        match &self.key_file {
            Some(k) => {
                let _ = write!(t, "\n[privacy]\n# A key file beside the exports (a synthetic sample's): a real deployment keeps its\n# key outside the repository and sets COVERAGE_PSEUDONYM_KEY instead.\nkey_file = {}\n", q(k));
            }
            None => t.push_str(
                "\n# [privacy]: the key comes from COVERAGE_PSEUDONYM_KEY (TO DECIDE: set it).\n",
            ),
        }
        t.push_str("\n# [rules]: the notice's numbers apply (docs/pipeline.md lists them and their keys).\n");
        t.push_str("\n# Each district: its name as the registry writes it, its code the one most of its\n# units' USCCs carry (positions 3–8, the registering office's area). TO DECIDE: only\n# districts with units in these exports are here; add any other of the city.\n[districts]\n");
        for (code, name) in &self.districts {
            let _ = writeln!(t, "{} = {}", q(code), q(name));
        }
        for s in &self.sources {
            s.write(&mut t);
        }
        t
    }
}

impl SourceDraft {
    fn write(&self, t: &mut String) {
        let _ = write!(
            t,
            "\n[[source]]\nname = {}\n# Its kind by its headers ({}).\nkind = {}\nfiles = {}\n",
            q(&self.name),
            self.columns
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            q(self.kind.as_str()),
            list(&self.files)
        );
        match self.sheets.len() {
            0 => {}
            1 => {
                let _ = writeln!(t, "sheet = {}", q(&self.sheets[0]));
            }
            _ => {
                let _ = writeln!(
                    t,
                    "# Sheets of the same layout.\nsheet = {}",
                    list(&self.sheets)
                );
            }
        }
        if self.header_row > 1 {
            let _ = writeln!(
                t,
                "# The first row that names the fields (title rows above it).\nheader_row = {}",
                self.header_row
            );
        }
        if self.header_rows > 1 {
            let _ = writeln!(
                t,
                "# Two rows name the columns together (group headers above).\nheader_rows = {}",
                self.header_rows
            );
        }
        for n in &self.notes {
            let _ = writeln!(t, "# {}", one_line(n));
        }
        if !self.unmapped.is_empty() {
            let _ = writeln!(
                t,
                "# Columns read as no canonical field (left out): {}",
                one_line(&self.unmapped.join(", "))
            );
        }
        if !self.empty.is_empty() {
            t.push_str("# [source.defaults]\n");
            for (f, words) in &self.empty {
                let _ = writeln!(t, "# {} = {}", f.as_str(), q(words));
            }
        }
        t.push_str("[source.columns]\n");
        for (f, headers) in &self.columns {
            let v = if headers.len() == 1 {
                q(&headers[0])
            } else {
                list(headers)
            };
            let _ = writeln!(t, "{} = {v}", f.as_str());
        }
        for (f, d) in &self.values {
            d.write(*f, t);
        }
    }
}

impl ValueDraft {
    /// The map as `[source.values.<field>]`, with where it came from and what is left to
    /// decide.
    fn write(&self, field: F, t: &mut String) {
        let origin = self.origin.unwrap_or("From the column's values: each mapped by init's table of the values each word goes by (src/init/words.rs).");
        let _ = writeln!(t, "# {origin}\n[source.values.{}]", field.as_str());
        if !self.exact.is_empty() {
            let items: Vec<String> = self
                .exact
                .iter()
                .map(|(k, v)| format!("{} = {}", q(k), q(v)))
                .collect();
            let _ = writeln!(t, "exact = {{ {} }}", items.join(", "));
        }
        if !self.contains.is_empty() {
            let items: Vec<String> = self
                .contains
                .iter()
                .map(|(k, v)| format!("[{}, {}]", q(k), q(v)))
                .collect();
            let _ = writeln!(t, "contains = [{}]", items.join(", "));
        }
        if let (Some(word), true) = (&self.default, self.by_default.is_empty()) {
            let _ = writeln!(t, "# Any other value.\ndefault = {}", q(word));
        } else if let Some(word) = &self.default {
            let shown: Vec<&str> = self.by_default.iter().take(5).map(String::as_str).collect();
            let more = if self.by_default.len() > 5 {
                ", …"
            } else {
                ""
            };
            let _ = writeln!(
                t,
                "# The rest ({}{more}) as the domain reads them.\ndefault = {}",
                shown.join(", "),
                q(word)
            );
        }
        for v in &self.undecided {
            let _ = writeln!(t, "# {} = ?   TO DECIDE", q(v));
        }
    }
}

#[cfg(test)]
mod tests;
