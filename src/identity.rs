//! Stage 2b, identity: unit ids that last from month to month.
//!
//! `resolve` derives an id from a unit's codes (see [`crate::resolve::Unit::unit_id`]);
//! that id alone breaks when a unit's only code changes or it has none and is renamed
//! or moved. The output folder keeps a registry (`unit_id_registry` in coverage.duckdb)
//! of every identifier ever seen — USCC, 组织机构代码, 注册号, normalized name within a
//! district — with the unit id it belonged to. Each run reads it first: a unit any of
//! whose identifiers is known keeps that id, through renames, moves, gaining a USCC and
//! months in which its record is missing. Two known units that became one (`merged`),
//! and one known unit whose records now make two (`split`), are recorded in
//! `unit_id_events`.

use std::path::Path;

use crate::error::{DbContext, Error, Result};
use crate::model::{IdKind, RecordKeys};
use crate::resolve::{Resolved, Unit};
use crate::vocabulary::{IdEventReason, Vocabulary};
use crate::{FastMap, FastSet};
use rayon::prelude::*;

/// Identifier → unit id, as the output folder knew it before this run.
#[derive(Debug, Default)]
pub struct IdRegistry {
    ids: FastMap<(IdKind, String), Known>,
}

/// What the registry knows of an identifier: its unit, and the first period it was seen
/// (a month index, `config::month_index`).
#[derive(Debug)]
struct Known {
    unit_id: String,
    since: u32,
}

/// The table in coverage.duckdb that holds the registry.
pub const REGISTRY_TABLE: &str = "unit_id_registry";

impl IdRegistry {
    /// Reads the registry of an output folder; empty where there is no database yet.
    pub fn load(out: &Path) -> Result<IdRegistry> {
        let mut registry = IdRegistry::default();
        let conn = crate::database::open(None)?;
        if !crate::database::attach_published(&conn, out, "published", true)? {
            return Ok(registry);
        }
        if !crate::database::has_tables(&conn, "published", &[REGISTRY_TABLE])? {
            return Ok(registry);
        }
        let mut stmt = conn
            .prepare(&format!(
                "SELECT kind, key, unit_id, first_period FROM published.{REGISTRY_TABLE}"
            ))
            .db("read the id registry")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .db("read the id registry")?;
        for row in rows {
            let (kind, key, unit_id, first_period) = row.db("read the id registry")?;
            // A kind this version does not know would lose the unit's id in silence.
            let Some(kind) = IdKind::parse(&kind) else {
                return Err(Error::output(
                    out.join(crate::database::DATABASE_FILE),
                    format!(
                        "{REGISTRY_TABLE} has an identifier of kind `{kind}`, not one of {} \
                         (written by another version of coverage?)",
                        IdKind::NAMES.join(", ")
                    ),
                ));
            };
            // A row without a first period (none is written so) is taken as the oldest.
            let since = first_period
                .as_deref()
                .and_then(crate::config::month_index)
                .unwrap_or(0);
            registry.ids.insert((kind, key), Known { unit_id, since });
        }
        Ok(registry)
    }

    /// The period (a month index) from which the folder has known a name within a
    /// district (`IdKind::NameDistrict`'s key), where it knew it before `period`: a
    /// rerun of an earlier month does not know what later months saw first.
    pub fn name_known_since(&self, key: &str, period: u32) -> Option<u32> {
        // Asked once per registry record: the key is looked up in a buffer kept for
        // the thread rather than a new String each time.
        thread_local! {
            static LOOKED_UP: std::cell::RefCell<(IdKind, String)> =
                const { std::cell::RefCell::new((IdKind::NameDistrict, String::new())) };
        }
        LOOKED_UP.with_borrow_mut(|looked_up| {
            looked_up.1.clear();
            looked_up.1.push_str(key);
            let known = self.ids.get(looked_up)?;
            (known.since < period).then_some(known.since)
        })
    }
}

/// The run's identifiers (run_unit_keys) merged into the id registry of the attached
/// database `catalog`: each identifier's unit and the first and last period it was seen.
pub fn registry_merge_sql(catalog: &str) -> String {
    let registry = format!("{catalog}.{REGISTRY_TABLE}");
    // Each identifier seen before keeps its row, its unit and period range brought up to
    // date in place; only identifiers new to the folder are added (in key order). Every
    // month sees most identifiers again: rewriting their rows (a delete and an insert of
    // each) took 6.0 s a month at 1M units, updating them 2.7 s.
    format!(
        "CREATE TABLE IF NOT EXISTS {registry} (kind VARCHAR, key VARCHAR, \
             unit_id VARCHAR, first_period VARCHAR, last_period VARCHAR);\n\
         UPDATE {registry} r SET unit_id = n.unit_id, \
             first_period = least(coalesce(r.first_period, n.period), n.period), \
             last_period = greatest(coalesce(r.last_period, n.period), n.period) \
         FROM run_unit_keys n WHERE r.kind = n.kind AND r.key = n.key;\n\
         INSERT INTO {registry} SELECT n.kind, n.key, n.unit_id, n.period, n.period \
         FROM run_unit_keys n WHERE NOT EXISTS (SELECT 1 FROM {registry} o \
             WHERE o.kind = n.kind AND o.key = n.key) ORDER BY n.kind, n.key;\n{}",
        registry_comments(&registry)
    )
}

/// What the id registry (`table`, as the merge names it) says.
fn registry_comments(table: &str) -> String {
    let own = |text: &str| Some(text.to_string());
    crate::dictionary::comment_sql(
        "TABLE",
        table,
        "单位编号登记簿: every identifier a unit has had in this folder's runs and the unit_id it gives, so that a unit keeps its unit_id from month to month",
        [
            ("kind", Some(format!("the identifier's kind: {}", crate::dictionary::words::<IdKind>()))),
            ("key", own("the identifier (a USCC, an organization code, a registration number or a name key)")),
            ("unit_id", None),
            ("first_period", own("the first period it was seen")),
            ("last_period", own("the last period it was seen")),
        ]
        .into_iter(),
    )
}

/// A change of identity the registry saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdEvent {
    pub old_unit_id: String,
    pub new_unit_id: String,
    pub reason: IdEventReason,
}

/// Ids retired or split this month (published).
pub fn unit_id_events<'a>() -> crate::declared_table::Table<'a, &'a IdEvent> {
    crate::declared_table::Table::<&IdEvent>::new("unit_id_events")
        .describe(
            "单位编号变动: the units whose unit_id this run changed or joined, one row per change",
        )
        .text("old_unit_id", |e| &e.old_unit_id)
        .about("the unit_id the unit had (in the id registry)")
        .text("new_unit_id", |e| &e.new_unit_id)
        .about("the unit_id it has from this period on")
        .text("reason", |e| e.reason.as_str())
        .about(format!(
            "why: {}",
            crate::dictionary::words::<crate::vocabulary::IdEventReason>()
        ))
}

/// Every identifier of this run and its unit: not published as a table of the period,
/// merged into the id registry.
pub fn run_unit_keys(units: &[Unit]) -> crate::declared_table::Table<'_, UnitKey<'_>> {
    crate::declared_table::Table::<UnitKey>::new("run_unit_keys")
        .text("kind", |(kind, _, _)| kind.as_str())
        .text("key", |(_, key, _)| key)
        .text("unit_id", move |(_, _, k)| &units[k].unit_id)
        .internal()
}

/// An identifier of this run, its text and its unit (an index into the resolved units).
pub type UnitKey<'a> = (IdKind, &'a str, usize);

/// What identity assignment produced: the events, and every identifier of this run with
/// its unit (the registry's new rows): each unit's keys once, an index into the records'
/// keys (whose text they share) with the unit's index.
#[derive(Debug, Default)]
pub struct Identity {
    pub events: Vec<IdEvent>,
    record_keys: RecordKeys,
    keys: Vec<(u32, u32)>,
}

impl Identity {
    /// Every identifier of this run with its unit, by unit, each unit's sorted.
    pub fn unit_keys(&self) -> impl Iterator<Item = UnitKey<'_>> {
        self.keys.iter().map(|&(i, k)| {
            let key = &self.record_keys.keys()[i as usize];
            (key.kind, self.record_keys.text(key), k as usize)
        })
    }

    /// Frees the identifiers (once they are loaded).
    pub fn free_keys(&mut self) {
        (self.record_keys, self.keys) = Default::default();
    }
}

/// Gives every unit of `resolved` the id the registry knows it by, where it knows it,
/// and returns the events and the registry rows of this run.
pub fn assign(resolved: &mut Resolved, registry: &IdRegistry) -> Identity {
    let n = resolved.units.len();
    let record_keys = std::mem::take(&mut resolved.record_keys);
    let keys_of = keys_by_unit(&record_keys, &resolved.record_unit);
    let known: FastSet<&str> = registry.ids.values().map(|k| k.unit_id.as_str()).collect();
    let mut events = Vec::new();
    let mut claimed: FastMap<String, usize> = FastMap::default();
    let mut new_ids: Vec<String> = Vec::with_capacity(n);
    let mut looked_up = (IdKind::Uscc, String::new());
    let mut of_unit = keys_of.chunk_by(|a, b| a.1 == b.1).peekable();
    for k in 0..n {
        let keys = match of_unit.peek() {
            Some(keys) if keys[0].1 as usize == k => of_unit.next().unwrap_or_default(),
            _ => &[],
        };
        // Known ids of the unit, strongest identifier first, each once.
        let mut found: Vec<&String> = Vec::new();
        for &(i, _) in keys {
            let key = &record_keys.keys()[i as usize];
            looked_up.0 = key.kind;
            looked_up.1.clear();
            looked_up.1.push_str(record_keys.text(key));
            if let Some(Known { unit_id: id, .. }) = registry.ids.get(&looked_up) {
                if !found.contains(&id) {
                    found.push(id);
                }
            }
        }
        let computed = &resolved.units[k].unit_id;
        let id = match found.iter().find(|id| !claimed.contains_key(id.as_str())) {
            Some(id) => (*id).clone(),
            None => {
                // Unknown, or its known id went to a unit with stronger claim: a fresh
                // id, never one the registry gave to another unit.
                let mut fresh = computed.clone();
                let mut suffix = 1;
                while known.contains(fresh.as_str()) || claimed.contains_key(&fresh) {
                    suffix += 1;
                    fresh = format!("{computed}~{suffix}");
                }
                if let Some(old) = found.first() {
                    events.push(IdEvent {
                        old_unit_id: (*old).clone(),
                        new_unit_id: fresh.clone(),
                        reason: IdEventReason::Split,
                    });
                }
                fresh
            }
        };
        for old in found.iter().filter(|old| ***old != id) {
            if !claimed.contains_key(old.as_str()) {
                events.push(IdEvent {
                    old_unit_id: (*old).clone(),
                    new_unit_id: id.clone(),
                    reason: IdEventReason::Merged,
                });
            }
        }
        claimed.insert(id.clone(), k);
        new_ids.push(id);
    }
    for (unit, id) in resolved.units.iter_mut().zip(new_ids) {
        unit.unit_id = id;
    }
    Identity {
        events,
        record_keys,
        keys: keys_of,
    }
}

/// Each unit's identifiers once, sorted by unit, then kind and text: (the key's index
/// among `record_keys`, the unit).
fn keys_by_unit(record_keys: &RecordKeys, record_unit: &[usize]) -> Vec<(u32, u32)> {
    let all = record_keys.keys();
    let unit_of = |i: u32| record_unit[all[i as usize].record as usize] as u32;
    let mut keys: Vec<(u32, u32)> = (0..all.len() as u32).map(|i| (i, unit_of(i))).collect();
    let sort_key = |&(i, k): &(u32, u32)| {
        let key = &all[i as usize];
        (k, key.kind, record_keys.text(key))
    };
    keys.par_sort_unstable_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    keys.dedup_by(|a, b| sort_key(a) == sort_key(b));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Matching;
    use crate::model::fixtures::unit_record;
    use crate::model::{Code, UnitRecord};
    use crate::resolve::resolve;

    fn registry(entries: &[(IdKind, &str, &str)]) -> IdRegistry {
        IdRegistry {
            ids: entries
                .iter()
                .map(|(k, key, id)| {
                    let known = Known {
                        unit_id: id.to_string(),
                        since: 0,
                    };
                    ((*k, key.to_string()), known)
                })
                .collect(),
        }
    }

    fn with_reg_no(row: u64, name: &str, reg_no: &str) -> UnitRecord {
        let mut r = unit_record(row, name, None, "110105");
        r.reg_no = Some(Code {
            value: reg_no.into(),
            valid: true,
        });
        r
    }

    #[test]
    fn a_renamed_unit_without_codes_keeps_its_id_through_its_reg_no() {
        // The registry knew 注册号 110108000000016 as unit UN-old (the id it got when
        // first seen); renamed since, the unit keeps UN-old.
        let reg = registry(&[(IdKind::RegNo, "110108000000016", "UN-old")]);
        let records = [with_reg_no(2, "北京乙科技有限公司", "110108000000016")];
        let mut r = resolve(records.to_vec(), &Matching::default());
        let identity = assign(&mut r, &reg);
        assert_eq!(r.units[0].unit_id, "UN-old");
        assert_eq!(r.units[r.sources[0].unit].unit_id, "UN-old");
        assert!(identity.events.is_empty());
        // The registry learns the new name under the same id.
        let name_key = format!("{}\u{1f}110105", records[0].name_key);
        assert!(identity
            .unit_keys()
            .any(|key| key == (IdKind::NameDistrict, name_key.as_str(), 0)));
    }

    /// A name first seen in 2026-03 (month index 2026 × 12 + 2 = 24,314) is known to a
    /// run of 2026-04 (24,315) and later, not to a rerun of 2026-03 or an earlier month.
    #[test]
    fn a_name_is_known_from_the_month_after_it_was_first_seen() {
        let since = crate::config::month_index("2026-03").unwrap();
        assert_eq!(since, 24_314);
        let reg = IdRegistry {
            ids: [(
                (IdKind::NameDistrict, "甲\u{1f}110105".to_string()),
                Known {
                    unit_id: "UN-a".into(),
                    since,
                },
            )]
            .into_iter()
            .collect(),
        };
        let at = |p: &str| {
            reg.name_known_since("甲\u{1f}110105", crate::config::month_index(p).unwrap())
        };
        assert_eq!(at("2026-04"), Some(24_314));
        assert_eq!(at("2027-01"), Some(24_314));
        assert_eq!(at("2026-03"), None);
        assert_eq!(at("2026-01"), None);
        assert_eq!(reg.name_known_since("乙\u{1f}110105", 24_320), None);
    }

    #[test]
    fn merges_and_splits_are_events() {
        // Two known units (A by 注册号, B by name) are one now: A's id (found by the
        // stronger identifier) stays, B's is retired as merged.
        let a = with_reg_no(2, "北京丙科技有限公司", "110108000000016");
        let mut b = unit_record(3, "北京丙科技有限公司", None, "110105");
        b.name_key = a.name_key.clone();
        let name_key = format!("{}\u{1f}110105", a.name_key);
        let reg = registry(&[
            (IdKind::RegNo, "110108000000016", "ID-A"),
            (IdKind::NameDistrict, &name_key, "ID-B"),
        ]);
        let records = [a, b];
        let mut r = resolve(records.to_vec(), &Matching::default());
        assert_eq!(r.units.len(), 1);
        let identity = assign(&mut r, &reg);
        assert_eq!(r.units[0].unit_id, "ID-A");
        assert_eq!(
            identity.events,
            vec![IdEvent {
                old_unit_id: "ID-B".into(),
                new_unit_id: "ID-A".into(),
                reason: IdEventReason::Merged
            }]
        );
        // One known unit whose two records are two units now: the first keeps the
        // id, the second gets a fresh one, recorded as a split.
        let c = with_reg_no(2, "北京丁科技有限公司", "110108000000016");
        let d = unit_record(3, "北京戊科技有限公司", None, "110105");
        let d_key = format!("{}\u{1f}110105", d.name_key);
        let reg = registry(&[
            (IdKind::RegNo, "110108000000016", "ID-C"),
            (IdKind::NameDistrict, &d_key, "ID-C"),
        ]);
        let records = [c, d];
        let mut r = resolve(records.to_vec(), &Matching::default());
        let identity = assign(&mut r, &reg);
        let ids: Vec<&str> = r.units.iter().map(|u| u.unit_id.as_str()).collect();
        assert!(ids.contains(&"ID-C"));
        assert_eq!(identity.events.len(), 1);
        assert_eq!(identity.events[0].reason, IdEventReason::Split);
        assert_eq!(identity.events[0].old_unit_id, "ID-C");
    }
}
