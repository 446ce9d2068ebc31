//! Which of a person's records counts where the member registry lists them in two units
//! (a job changer whose former organization has not removed them yet, a floating member
//! listed where they left and where they went): the record in a unit where the person
//! had no record last period (what changed is the move), then the one in the unit they
//! were counted in last period (a record that stays), then the first in file order.
//! A person counts once either way; this decides where.

use super::earlier::EarlierUnits;
use super::{MemberLink, NotCounted};
use crate::error::Result;
use crate::extract::Staged;
use crate::model::MemberKey;
use crate::resolve::Resolved;
use crate::{FastMap, FastSet};

/// Moves the count of each person whose records are placed in different units to the
/// record the months before say is current (see the module's doc). `count_members` has
/// counted each person's first record.
pub(super) fn count_the_current_record(
    staged: &Staged,
    resolved: &Resolved,
    links: &mut [MemberLink],
    earlier: EarlierUnits,
) -> Result<()> {
    let choices = people_in_two_units(staged, links);
    if choices.is_empty() {
        return Ok(());
    }
    let keys: Vec<MemberKey> = choices.keys().copied().collect();
    let before = earlier.listed(&keys)?;
    for (key, records) in &choices {
        let Some(was) = before.get(key) else {
            continue;
        };
        let unit_id = |i: usize| {
            let unit = links[i]
                .unit()
                .expect("a counted or same-person record is placed");
            resolved.units[unit].unit_id.as_str()
        };
        let rank = |i: usize| {
            let listed = was.iter().find(|(u, _)| u == unit_id(i));
            (
                listed.is_some(),
                !listed.is_some_and(|(_, counted)| *counted),
                i,
            )
        };
        let best = *records
            .iter()
            .min_by_key(|&&i| rank(i))
            .expect("two records");
        if !links[best].counted {
            for &i in records {
                let counts = i == best;
                links[i].counted = counts;
                links[i].not_counted_reason = (!counts).then_some(NotCounted::SamePerson);
            }
        }
    }
    Ok(())
}

/// The people counted in one unit with another record placed in a different one: each
/// with its counted and same-person records, in record order. Only the people listed
/// twice are held (a few in a thousand), not every person counted.
fn people_in_two_units(staged: &Staged, links: &[MemberLink]) -> FastMap<MemberKey, Vec<usize>> {
    let key = |l: &MemberLink| staged.members[l.record as usize].member_key;
    let again = |l: &&MemberLink| l.not_counted_reason == Some(NotCounted::SamePerson);
    let twice: FastSet<MemberKey> = links.iter().filter(again).map(key).collect();
    if twice.is_empty() {
        return FastMap::default();
    }
    let counted: FastMap<MemberKey, usize> = links
        .iter()
        .enumerate()
        .filter(|(_, l)| l.counted && twice.contains(&key(l)))
        .map(|(i, l)| (key(l), i))
        .collect();
    let mut choices: FastMap<MemberKey, Vec<usize>> = FastMap::default();
    for (i, l) in links.iter().enumerate().filter(|(_, l)| again(l)) {
        let first = counted[&key(l)];
        if links[first].unit() != l.unit() {
            choices.entry(key(l)).or_insert_with(|| vec![first]).push(i);
        }
    }
    choices
}
