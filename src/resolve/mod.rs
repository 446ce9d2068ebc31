//! Stage 2, resolve: registry records → one row per unit (去重).
//!
//! The same unit arrives in two district exports, in the enterprise and a further
//! registry, or as an old record that carries only 注册号 or 组织机构代码. Records are
//! joined by exact rules, strongest first (USCC, organization code — including the one
//! embedded in a USCC —, 注册号, normalized name within a district), as connected
//! components with a guard: two different valid USCCs are never merged. Every record's
//! unit and the rule that put it there go to `unit_sources`.

use sha2::{Digest, Sha256};

use crate::config::Matching;
use crate::ids;
use crate::matching::{clear_winner, legal_forms_differ, Candidate, NameMatcher, TypoIndex};
use crate::model::{
    embedded_org_code, valid, IdKind, Lineage, RecordKeys, RegistryFacts, Sector, SharedText,
    UnitRecord, UnitRef,
};
use crate::vocabulary::{RegistryStatus, UnitFoundBy, UnitKind};
use crate::{FastMap, FastSet};
use rayon::prelude::*;

pub use crate::vocabulary::MatchRule;

/// One unit after deduplication.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable from month to month: built from the organization code (also embedded in
    /// the USCC, so a unit keeps its id when an old record gains a USCC), else the
    /// 注册号, else a hash of normalized name and district.
    pub unit_id: String,
    pub uscc: Option<SharedText>,
    pub org_code: Option<SharedText>,
    pub reg_no: Option<SharedText>,
    pub name: String,
    pub name_key: SharedText,
    pub sector: Sector,
    pub kind: UnitKind,
    pub status: RegistryStatus,
    /// Each fact from the first of the unit's records (the representative first) that
    /// has it; no district when none names one (out of scope, `no_district`).
    pub facts: RegistryFacts,
    pub record_count: u32,
    /// The other normalized names the unit's records carry, sorted (a renamed unit is
    /// still written under its old name in some exports): most units have none, and an
    /// empty list costs no allocation.
    pub other_name_keys: Box<[SharedText]>,
    /// The record whose name, status and district the unit takes.
    pub representative: Lineage,
}

impl Unit {
    /// Every normalized name the unit's records carry, sorted.
    pub fn name_keys(&self) -> Vec<&str> {
        let mut all: Vec<&str> = std::iter::once(&self.name_key)
            .chain(self.other_name_keys.iter())
            .map(|n| &**n)
            .collect();
        all.sort_unstable();
        all
    }
}

/// Which input record became which unit, by which rule.
#[derive(Debug, Clone)]
pub struct UnitSource {
    pub lineage: Lineage,
    /// The unit (an index into the units): its id is the unit's, as identity left it.
    pub unit: usize,
    pub rule: MatchRule,
    pub score: f64,
}

#[derive(Debug, Default)]
pub struct Resolved {
    pub units: Vec<Unit>,
    pub sources: Vec<UnitSource>,
    pub index: UnitIndex,
    /// The unit (index into `units`) of each input record.
    pub record_unit: Vec<usize>,
    /// The identifiers of the input records (taken by `identity::assign`).
    pub record_keys: RecordKeys,
}

/// Look-ups from identifiers to units, used by `link`: keyed by the units' own texts
/// (shared, not copied).
#[derive(Default)]
pub struct UnitIndex {
    by_uscc: FastMap<SharedText, usize>,
    by_org_code: FastMap<SharedText, usize>,
    by_reg_no: FastMap<SharedText, usize>,
    by_name: FastMap<SharedText, Vec<usize>>,
    /// The one-edit look-up of the names, built on first use: by the organizations'
    /// and lists' references that no exact rule finds, or by the members'.
    typo: std::sync::OnceLock<TypoIndex>,
}

impl std::fmt::Debug for UnitIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnitIndex")
            .field("names", &self.by_name.len())
            .field("usccs", &self.by_uscc.len())
            .finish_non_exhaustive()
    }
}

impl UnitIndex {
    /// The one-edit look-up of the units' names (see `TypoIndex`).
    pub fn typo(&self) -> &TypoIndex {
        self.typo.get_or_init(|| TypoIndex::new(self.names()))
    }

    /// Units whose name core is within one edit of `key`'s (a character replaced, added,
    /// dropped, or two neighbours swapped) that state no other legal form: a typo of the
    /// 字号 leaves 有限公司 or 股份公司 as written, and registry names are official.
    pub fn one_edit_in_form(&self, units: &[Unit], key: &str) -> Vec<(usize, f64)> {
        let mut near = self.typo().within_one_edit(key);
        near.retain(|&(u, _)| !legal_forms_differ(key, &units[u].name_key));
        near
    }

    /// The units of `one_edit_in_form` of a reference's written name whose USCC does not
    /// contradict the reference's: what a unit's name typed by hand into a list may mean.
    pub fn one_edit_candidates(&self, units: &[Unit], r: &UnitRef) -> Vec<usize> {
        let Some(key) = r.name_key.as_deref().filter(|k| !k.is_empty()) else {
            return Vec::new();
        };
        let near = self.one_edit_in_form(units, key).into_iter();
        near.map(|(u, _)| u)
            .filter(|&u| name_may_find(r.uscc.as_deref(), &units[u]))
            .collect()
    }

    /// The one unit of `one_edit_candidates` that `keep` accepts. Two such units are no
    /// match.
    pub fn one_edit_from(
        &self,
        units: &[Unit],
        r: &UnitRef,
        keep: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut near = self
            .one_edit_candidates(units, r)
            .into_iter()
            .filter(|&u| keep(u));
        match (near.next(), near.next()) {
            (Some(u), None) => Some(u),
            _ => None,
        }
    }

    /// Every (unit, normalized name) pair, in a stable order.
    pub fn names(&self) -> Vec<(usize, &str)> {
        let mut out: Vec<(usize, &str)> = self
            .by_name
            .iter()
            .flat_map(|(name, units)| units.iter().map(move |&u| (u, &**name)))
            .collect();
        out.sort_unstable();
        out
    }

    /// The units whose normalized name (or one of them) is `key`.
    pub fn units_named(&self, key: &str) -> &[usize] {
        self.by_name.get(key).map_or(&[], Vec::as_slice)
    }

    /// The unit a reference points to, with the rule that found it: its USCC, an
    /// organization code (written as one, or embedded in the USCC), else its normalized
    /// name. A name that several units share finds nothing, and a name never overrides
    /// a USCC that points elsewhere.
    pub fn find(&self, units: &[Unit], r: &UnitRef) -> Option<(usize, UnitFoundBy)> {
        let uscc = r.uscc.as_deref();
        if let Some(u) = uscc {
            if let Some(&i) = self.by_uscc.get(u) {
                return Some((i, UnitFoundBy::Uscc));
            }
        }
        let org_codes = uscc
            .and_then(ids::org_code_of_uscc)
            .into_iter()
            .chain(r.org_code.as_deref());
        for oc in org_codes {
            if let Some(&i) = self.by_org_code.get(oc) {
                return Some((i, UnitFoundBy::OrgCode));
            }
        }
        if let Some(&i) = r.reg_no.as_deref().and_then(|rn| self.by_reg_no.get(rn)) {
            return Some((i, UnitFoundBy::RegNo));
        }
        let candidates = self.by_name.get(r.name_key.as_deref()?)?;
        let [i] = candidates.as_slice() else {
            return None;
        };
        name_may_find(uscc, &units[*i]).then_some((*i, UnitFoundBy::Name))
    }
}

/// Whether a name may find `unit` for a reference that gives `uscc`: a name never
/// overrides a USCC that points elsewhere.
pub fn name_may_find(uscc: Option<&str>, unit: &Unit) -> bool {
    match (uscc, unit.uscc.as_deref()) {
        (Some(given), Some(its)) => given == its,
        _ => true,
    }
}

struct UnionFind<'r> {
    parent: Vec<usize>,
    /// The one valid USCC of each root's component, if any (the records' own text).
    uscc: Vec<Option<&'r str>>,
}

impl UnionFind<'_> {
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two components unless they hold two different USCCs.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        match (self.uscc[ra], self.uscc[rb]) {
            (Some(x), Some(y)) if x != y => false,
            _ => {
                let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
                self.parent[gone] = keep;
                if self.uscc[keep].is_none() {
                    self.uscc[keep] = self.uscc[gone].take();
                }
                true
            }
        }
    }
}

/// Each identifier joins every record carrying it to the first record that carried
/// it, strongest kind first. The identifiers are those the id registry keeps.
fn join_by_identifiers(record_keys: &RecordKeys, uf: &mut UnionFind, rule: &mut [MatchRule]) {
    let kinds = [
        (IdKind::Uscc, MatchRule::Uscc),
        (IdKind::OrgCode, MatchRule::OrgCode),
        (IdKind::RegNo, MatchRule::RegNo),
        (IdKind::NameDistrict, MatchRule::NameDistrict),
    ];
    for (kind, how) in &kinds {
        let mut first: FastMap<&str, usize> = FastMap::default();
        for key in record_keys.keys().iter().filter(|k| k.kind == *kind) {
            let i = key.record as usize;
            match first.get(record_keys.text(key)) {
                Some(&j) => {
                    if uf.union(i, j) {
                        rule[i] = rule[i].min(*how);
                        rule[j] = rule[j].min(*how);
                    }
                }
                None => {
                    first.insert(record_keys.text(key), i);
                }
            }
        }
    }
}

/// When the output folder first saw a name within a district (the id registry's
/// `NameDistrict` key), as a month index (`config::month_index`), for a name seen before
/// this run's period.
pub type NameSince<'a> = &'a (dyn Fn(&str) -> Option<u32> + Sync);

/// Deduplicates unit records with no months before them (see `resolve_with_history`).
pub fn resolve(records: Vec<UnitRecord>, matching: &Matching) -> Resolved {
    resolve_with_history(records, matching, &|_| None)
}

/// Deduplicates unit records; each unit takes its name and facts out of its records
/// (a month's registry records are a gigabyte: they are not copied). `name_since` tells
/// which of a unit's names is new: of two records that nothing else orders, the one
/// under the name the unit took last names it (see `representative`).
pub fn resolve_with_history(
    mut records: Vec<UnitRecord>,
    matching: &Matching,
    name_since: NameSince,
) -> Resolved {
    let n = records.len();
    let mut uf = UnionFind {
        parent: (0..n).collect(),
        uscc: records.iter().map(|r| valid(&r.uscc)).collect(),
    };
    let mut rule = vec![MatchRule::Single; n];
    const CHUNK: usize = 8192;
    let record_keys = records
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| RecordKeys::of(chunk, c * CHUNK))
        .collect::<Vec<_>>()
        .into_iter()
        .fold(RecordKeys::default(), |mut all, part| {
            all.append(part);
            all
        });
    let name_age = name_ages(&record_keys, n, name_since);
    join_by_identifiers(&record_keys, &mut uf, &mut rule);
    join_unplaced_by_name(&records, &mut uf, &mut rule);
    let mut score = vec![1.0f64; n];
    if matching.fuzzy_units {
        join_by_scored_name(
            &records,
            matching.name_accept,
            &mut uf,
            &mut rule,
            &mut score,
        );
    }

    // Each unit's records in their order, the units in the order of their first records
    // (a component's root is its first record): the records sorted by root, not a list
    // per unit.
    let root: Vec<usize> = (0..n).map(|i| uf.find(i)).collect();
    let mut by_root: Vec<usize> = (0..n).collect();
    by_root.sort_by_key(|&i| root[i]);
    let groups: Vec<&[usize]> = by_root.chunk_by(|&a, &b| root[a] == root[b]).collect();
    // The units and their records' orders apart: the units are moved into the result
    // as they are (1M units: a vector of units with their orders, then one of units,
    // held together for a moment, set resolve's peak).
    let (mut units, orders): (Vec<Unit>, Vec<Vec<usize>>) = groups
        .par_iter()
        .map(|&idx| build_unit(&records, &name_age, idx))
        .unzip();
    // The name and each fact are moved out of the records, the representative first.
    for (unit, order) in units.iter_mut().zip(orders) {
        unit.name = std::mem::take(&mut records[order[0]].name);
        unit.facts = order.iter().fold(RegistryFacts::default(), |facts, &i| {
            facts.or(&mut records[i].facts)
        });
    }
    make_ids_unique(&mut units.iter_mut().collect::<Vec<_>>());
    let mut out = Resolved {
        sources: Vec::with_capacity(n),
        record_unit: vec![0; n],
        record_keys,
        ..Resolved::default()
    };
    for (k, (unit, idx)) in units.iter_mut().zip(groups).enumerate() {
        for &i in idx {
            out.sources.push(UnitSource {
                lineage: records[i].lineage.clone(),
                unit: k,
                rule: rule[i],
                score: score[i],
            });
        }
        out.add_unit(&records, idx, k, unit);
    }
    out.units = units;
    out
}

/// `text` as the unit's own shared copy where it is the same text, else a copy of its own.
fn shared_with(own: &Option<SharedText>, text: &str) -> SharedText {
    match own {
        Some(own) if **own == *text => own.clone(),
        _ => text.into(),
    }
}

impl Resolved {
    /// Indexes unit `k` under every name and code its records carry, 曾用名 included (a
    /// renamed unit is still written under its old name in other exports and by its
    /// members).
    fn add_unit(&mut self, records: &[UnitRecord], idx: &[usize], k: usize, unit: &mut Unit) {
        let mut names: Vec<&str> = idx
            .iter()
            .flat_map(|&i| {
                let former = records[i].former_name_keys.iter().map(String::as_str);
                std::iter::once(records[i].name_key.as_str()).chain(former)
            })
            .collect();
        names.sort_unstable();
        names.dedup();
        unit.other_name_keys = names
            .iter()
            .filter(|n| ***n != *unit.name_key)
            .map(|n| SharedText::from(*n))
            .collect();
        for name in std::iter::once(&unit.name_key).chain(unit.other_name_keys.iter()) {
            self.index.by_name.entry(name.clone()).or_default().push(k);
        }
        for &i in idx {
            self.record_unit[i] = k;
            if let Some(oc) = valid(&records[i].org_code) {
                self.index
                    .by_org_code
                    .insert(shared_with(&unit.org_code, oc), k);
            }
            if let Some(rn) = valid(&records[i].reg_no) {
                self.index
                    .by_reg_no
                    .insert(shared_with(&unit.reg_no, rn), k);
            }
        }
        if let Some(uscc) = &unit.uscc {
            self.index.by_uscc.insert(uscc.clone(), k);
        }
        if let Some(oc) = &unit.org_code {
            self.index.by_org_code.insert(oc.clone(), k);
        }
    }
}

/// A record without a district whose codes placed it nowhere joins the unit that has
/// its exact normalized name, where exactly one unit in the city (among records with a
/// district) has it.
fn join_unplaced_by_name(records: &[UnitRecord], uf: &mut UnionFind, rule: &mut [MatchRule]) {
    let n = records.len();
    let mut placed = vec![false; n];
    for (i, r) in records.iter().enumerate() {
        if r.facts.district_code.is_some() {
            let root = uf.find(i);
            placed[root] = true;
        }
    }
    let unplaced: Vec<usize> = (0..n)
        .filter(|&i| {
            let root = uf.find(i);
            !placed[root]
        })
        .collect();
    if unplaced.is_empty() {
        return;
    }
    let mut by_name: FastMap<&str, Option<usize>> = FastMap::default();
    for (i, r) in records.iter().enumerate() {
        if r.facts.district_code.is_none() {
            continue;
        }
        let root = uf.find(i);
        by_name
            .entry(r.name_key.as_str())
            .and_modify(|v| {
                if *v != Some(root) {
                    *v = None
                }
            })
            .or_insert(Some(root));
    }
    for i in unplaced {
        if let Some(Some(j)) = by_name.get(records[i].name_key.as_str()) {
            if uf.union(i, *j) {
                rule[i] = rule[i].min(MatchRule::NameCity);
                rule[*j] = rule[*j].min(MatchRule::NameCity);
            }
        }
    }
}

/// Records of components without a valid USCC are joined to the best-scoring record of
/// another component in the same district, at or above `accept`; the guard still holds.
fn join_by_scored_name(
    records: &[UnitRecord],
    accept: f64,
    uf: &mut UnionFind,
    rule: &mut [MatchRule],
    score: &mut [f64],
) {
    let loose: Vec<usize> = (0..records.len())
        .filter(|&i| {
            let root = uf.find(i);
            uf.uscc[root].is_none()
        })
        .collect();
    if loose.is_empty() {
        return;
    }
    let matcher = NameMatcher::new(
        records
            .iter()
            .enumerate()
            .map(|(i, r)| (i, r.name_key.as_str())),
    );
    // The look-ups do not depend on the joins: made in parallel, then joined in record
    // order as before.
    let found: Vec<(usize, Vec<Candidate>)> = loose
        .par_iter()
        .filter_map(|&i| {
            let district = records[i].facts.district_code.as_ref()?;
            let name = records[i].name_key.as_str();
            let best = matcher.best(name, 5, |j| {
                j != i
                    && records[j].facts.district_code.as_ref() == Some(district)
                    && !legal_forms_differ(name, &records[j].name_key)
            });
            Some((i, best))
        })
        .collect();
    for (i, best) in found {
        let root = uf.find(i);
        // Candidates already in the record's own unit say nothing; among the others,
        // one must lead clearly.
        let others: Vec<_> = best
            .into_iter()
            .filter(|c| uf.find(c.unit) != root)
            .collect();
        if let Some(c) = clear_winner(&others).filter(|c| c.score >= accept) {
            if uf.union(i, c.unit) {
                rule[i] = rule[i].min(MatchRule::FuzzyName);
                rule[c.unit] = rule[c.unit].min(MatchRule::FuzzyName);
                score[i] = score[i].min(c.score);
            }
        }
    }
}

/// Ids that more than one unit has.
fn shared_ids(units: &[&mut Unit]) -> FastSet<String> {
    let mut count: FastMap<&str, usize> = FastMap::default();
    for u in units {
        *count.entry(u.unit_id.as_str()).or_default() += 1;
    }
    count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id.to_string())
        .collect()
}

fn short_digest(parts: &[&str]) -> String {
    hex::encode(&Sha256::digest(parts.join("\u{1f}").as_bytes())[..4])
}

/// Two guarded components can share an organization code (same code, two USCCs):
/// they then take their full USCC as id; one without a USCC adds a digest of what it is
/// (normal-form name, district, 注册号), and only if that is shared too, of its
/// representative row. So an id never depends on the order components were built in.
fn make_ids_unique(units: &mut [&mut Unit]) {
    let shared = shared_ids(units);
    for u in units.iter_mut().filter(|u| shared.contains(&u.unit_id)) {
        u.unit_id = match &u.uscc {
            Some(uscc) => format!("US-{uscc}"),
            None => {
                let district = u.facts.district_code.as_deref().unwrap_or_default();
                let reg_no = u.reg_no.as_deref().unwrap_or_default();
                format!(
                    "{}-{}",
                    u.unit_id,
                    short_digest(&[&u.name_key, district, reg_no])
                )
            }
        };
    }
    let still = shared_ids(units);
    for u in units.iter_mut().filter(|u| still.contains(&u.unit_id)) {
        let row = u.representative.row.to_string();
        let digest = short_digest(&[u.representative.file(), &row]);
        u.unit_id = format!("{}-{digest}", u.unit_id);
    }
}

/// How new each record's name is to the output folder: the month index from which it
/// was known, `u32::MAX` for a name new this period, 0 for a record without a name key
/// (no district: nothing says its name is new).
fn name_ages(keys: &RecordKeys, n: usize, name_since: NameSince) -> Vec<u32> {
    let mut age = vec![0; n];
    for key in keys
        .keys()
        .iter()
        .filter(|k| k.kind == IdKind::NameDistrict)
    {
        age[key.record as usize] = name_since(keys.text(key)).unwrap_or(u32::MAX);
    }
    age
}

/// The unit of records `idx` and the order its records give their facts in (the
/// representative first), its name and facts left for the caller to take out of them.
fn build_unit(records: &[UnitRecord], name_age: &[u32], idx: &[usize]) -> (Unit, Vec<usize>) {
    let rep_i = representative::of(records, name_age, idx);
    let rep = &records[rep_i];
    let order: Vec<usize> = std::iter::once(rep_i)
        .chain(idx.iter().copied().filter(|&i| i != rep_i))
        .collect();
    let ordered: Vec<&UnitRecord> = order.iter().map(|&i| &records[i]).collect();
    let first = |f: &dyn Fn(&UnitRecord) -> Option<String>| ordered.iter().find_map(|r| f(r));
    let uscc = first(&|r: &UnitRecord| valid(&r.uscc).map(str::to_string));
    let org_code = uscc
        .as_deref()
        .and_then(ids::org_code_of_uscc)
        .map(str::to_string)
        .or_else(|| first(&|r: &UnitRecord| valid(&r.org_code).map(str::to_string)))
        .or_else(|| first(&|r: &UnitRecord| embedded_org_code(r).map(str::to_string)));
    let reg_no = first(&|r: &UnitRecord| valid(&r.reg_no).map(str::to_string));
    let unit_id = match (&org_code, &uscc, &reg_no) {
        (Some(oc), _, _) => format!("UC-{oc}"),
        // A USCC whose embedded code is no GB 11714 code (司法行政 E-codes can be so).
        (None, Some(us), _) => format!("US-{us}"),
        (None, None, Some(rn)) => format!("UR-{rn}"),
        (None, None, None) => {
            let district = ordered
                .iter()
                .find_map(|r| r.facts.district_code.as_deref())
                .unwrap_or_default();
            let digest = Sha256::digest(format!("{}\u{1f}{district}", rep.name_key).as_bytes());
            format!("UN-{}", hex::encode(&digest[..8]))
        }
    };
    let unit = Unit {
        unit_id,
        uscc: uscc.map(Into::into),
        org_code: org_code.map(Into::into),
        reg_no: reg_no.map(Into::into),
        // Taken out of the records once every unit is made.
        name: String::new(),
        name_key: rep.name_key.as_str().into(),
        sector: Sector::of_kind(rep.kind),
        kind: rep.kind,
        status: rep.status,
        facts: RegistryFacts::default(),
        record_count: u32::try_from(idx.len()).expect("fewer than 4G records a unit"),
        other_name_keys: Box::default(),
        representative: rep.lineage.clone(),
    };
    (unit, order)
}

mod representative;

#[cfg(test)]
mod more_rules;
#[cfg(test)]
mod tests;
