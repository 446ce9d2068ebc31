//! People who change jobs between months: a member leaves a unit and works in another
//! from then on, keeping their ID number (a person keeps theirs). Half of them go to a
//! unit of the same district whose 字号 is one character from the old one's (a sister
//! company of the same group, 城帆 → 城航), where half of those write the new employer
//! with a typo one edit from both units (城远): the case where the unit the same person
//! was counted in last month is among the candidates and is wrong. Half of all movers
//! keep their old organization (组织关系未转入, as issue 19 draws them).

use super::*;
use std::collections::HashMap;

/// Who moved: the ID numbers that are not their place's, and this month's movers.
#[derive(Default)]
pub(super) struct Moves {
    /// (unit, place among its members) → the ID number of the person there, where it is
    /// not the place's own: a mover at their new place, and a new person at a place a
    /// mover left (whose number the mover took with them).
    ids: HashMap<(usize, u32), String>,
    /// People moved so far: the new people at the places they left are numbered by it.
    count: u64,
    /// This month's movers: (unit, place) → the unit they left and what they write.
    this_month: HashMap<(usize, u32), (usize, Option<String>)>,
}

/// The ID number of the person at `place` of `unit`.
pub(super) fn member_id(world: &World, unit: usize, place: u32) -> String {
    world
        .moves
        .ids
        .get(&(unit, place))
        .cloned()
        .unwrap_or_else(|| id_number("99", unit as u64 * 1000 + u64::from(place.min(999))))
}

/// The unit a member at `place` of `unit` left this month, and their 工作单位 typo.
pub(super) fn moved_in(world: &World, unit: usize, place: u32) -> Option<&(usize, Option<String>)> {
    world.moves.this_month.get(&(unit, place))
}

/// A member row a list not yet updated still holds: a mover the organization of the
/// unit they left still lists there, or a copy of a member's row from before a change
/// that lasts (their 转正, their death or leaving the party).
pub struct StaleListing {
    pub id_number: String,
    /// The unit it lists them in (for a mover, the unit they left).
    pub unit: usize,
    /// The organization's code (empty where it had none).
    pub org_id: String,
    /// 人员类别 and 党籍状态 as the stale row writes them.
    pub category_raw: &'static str,
    pub status_raw: &'static str,
    /// Where the stale row goes in the member export: half before every other row (so
    /// that the person's first row is the stale one), half after.
    pub at: Placed,
}

/// Half of the stale rows go before every other row, by the person's ID number.
pub(super) fn stale_row_at(id: &str) -> Placed {
    match Rng::stable_chance(id, "stale row first", 0.5) {
        true => Placed::First,
        false => Placed::Last,
    }
}

/// This month's movers whom the organization of the unit they left still lists there (a
/// third of them, by their ID number), in ID order. The member export lists them twice;
/// they count once, where they work now.
pub(super) fn still_listed_where_they_left(world: &World) -> Vec<StaleListing> {
    let mut left: Vec<(String, usize)> = world
        .moves
        .this_month
        .iter()
        .map(|(&(to, place), &(from, _))| (member_id(world, to, place), from))
        .filter(|(id, _)| Rng::stable_chance(id, "still listed where they left", 0.3))
        .collect();
    left.sort();
    let froms: std::collections::HashSet<usize> = left.iter().map(|&(_, from)| from).collect();
    let mut org_of: HashMap<usize, &str> = HashMap::new();
    for o in &world.orgs {
        for u in o
            .host
            .iter()
            .chain(&o.covered)
            .filter(|u| froms.contains(u))
        {
            org_of.entry(*u).or_insert(&o.id);
        }
    }
    left.into_iter()
        .map(|(id, from)| StaleListing {
            org_id: org_of
                .get(&from)
                .map_or_else(String::new, |o| o.to_string()),
            at: stale_row_at(&id),
            id_number: id,
            unit: from,
            category_raw: "正式党员",
            status_raw: "正常",
        })
        .collect()
}

/// A unit people can move between: in scope and with no probationary member (a mover
/// becomes its last formal member, so no one else's place shifts).
fn can_move(u: &TrueUnit) -> bool {
    u.in_scope() && u.probationary == 0
}

/// This month's movers (0.1% of formal members a month, at most one a unit, times the
/// mess factor): each leaves as their unit's last formal member and arrives as the new
/// unit's.
pub(super) fn draw_moves(rng: &mut Rng, world: &mut World) {
    world.moves.this_month.clear();
    if world.messiness == 0.0 {
        return;
    }
    let sisters = sister_index(&world.units);
    for from in 0..world.units.len() {
        let u = &world.units[from];
        let leaves = (0.001 * f64::from(u.formal)).min(0.5) * world.messiness;
        if !can_move(u) || u.formal == 0 || !rng.chance(leaves) {
            continue;
        }
        let sister = rng
            .chance(0.5)
            .then(|| sister_of(&world.units, &sisters, from, rng))
            .flatten();
        let Some(to) = sister.or_else(|| other_unit_of_district(&world.units, from, rng)) else {
            continue;
        };
        let writes = sister
            .filter(|_| rng.chance(0.5))
            .and_then(|to| typo_between(world, to, from, rng));
        let left = world.units[from].formal - 1;
        let id = member_id(world, from, left);
        world.moves.count += 1;
        let fresh = id_number("97", world.moves.count);
        world.moves.ids.insert((from, left), fresh);
        world.units[from].formal -= 1;
        let place = world.units[to].formal;
        world.units[to].formal += 1;
        world.moves.ids.insert((to, place), id);
        world.moves.this_month.insert((to, place), (from, writes));
    }
}

/// Units by their name with the 字号 taken out: those of one group differ in it only.
fn sister_index(units: &[TrueUnit]) -> HashMap<String, Vec<usize>> {
    let mut by_frame: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        if can_move(u) && !u.trade.is_empty() {
            by_frame.entry(frame(u)).or_default().push(i);
        }
    }
    by_frame
}

fn frame(u: &TrueUnit) -> String {
    u.name.replacen(u.trade.as_str(), "□", 1)
}

/// The position where two 字号 of one length differ, if they differ in one character.
fn one_apart(a: &str, b: &str) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return None;
    }
    let mut differ = (0..a.len()).filter(|&k| a[k] != b[k]);
    match (differ.next(), differ.next()) {
        (Some(k), None) => Some(k),
        _ => None,
    }
}

/// A unit of the district of `from` whose 字号 is one character from its own.
fn sister_of(
    units: &[TrueUnit],
    sisters: &HashMap<String, Vec<usize>>,
    from: usize,
    rng: &mut Rng,
) -> Option<usize> {
    let u = &units[from];
    let near: Vec<usize> = sisters
        .get(&frame(u))?
        .iter()
        .copied()
        .filter(|&s| s != from && units[s].district == u.district)
        .filter(|&s| one_apart(&units[s].trade, &u.trade).is_some())
        .collect();
    (!near.is_empty()).then(|| near[rng.below(near.len())])
}

/// Any other unit of the district of `from` people can move to (a few draws).
fn other_unit_of_district(units: &[TrueUnit], from: usize, rng: &mut Rng) -> Option<usize> {
    (0..20)
        .map(|_| rng.below(units.len()))
        .find(|&t| t != from && can_move(&units[t]) && units[t].district == units[from].district)
}

/// The new unit's name with the character its 字号 differs from the old one's in
/// replaced by a third: one edit from both names, and no unit's name.
fn typo_between(world: &World, to: usize, from: usize, rng: &mut Rng) -> Option<String> {
    let (new, old) = (&world.units[to], &world.units[from]);
    let k = one_apart(&new.trade, &old.trade)?;
    let mut trade: Vec<char> = new.trade.chars().collect();
    let taken = [trade[k], old.trade.chars().nth(k)?];
    let third = (0..20)
        .map(|_| rng.pick(TRADE_CHARS).chars().next().unwrap_or('华'))
        .find(|c| !taken.contains(c))?;
    trade[k] = third;
    let name = new
        .name
        .replacen(new.trade.as_str(), &trade.iter().collect::<String>(), 1);
    (!world.names.is_taken(&name)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trade_names_one_character_apart() {
        assert_eq!(one_apart("城帆", "城航"), Some(1));
        assert_eq!(one_apart("城帆", "城帆"), None);
        assert_eq!(one_apart("城帆", "兴航"), None);
        assert_eq!(one_apart("城帆", "城帆东"), None);
    }

    /// A mover is the same person (ID number) in their new unit as in their old one last
    /// month, counted once; a typo they write is one edit from both units' names and is
    /// no unit's name.
    #[test]
    fn a_mover_keeps_their_number_in_the_new_unit() {
        let mut rng = Rng::new(7);
        let mut world = generate(&mut rng, 20_000, 1.0, false);
        let before: HashMap<String, Option<usize>> = world
            .members
            .iter()
            .map(|m| (m.id_number.clone(), m.employer))
            .collect();
        next_month(&mut rng, &mut world);
        // Each mover with the unit they left.
        let movers: Vec<(&TrueMember, usize)> = world
            .moves
            .this_month
            .iter()
            .map(|(&(to, place), &(from, _))| {
                let id = member_id(&world, to, place);
                let m = world.members.iter().find(|m| m.id_number == id);
                (m.expect("the mover is a member"), from)
            })
            .collect();
        assert!(movers.len() >= 5, "{} movers", movers.len());
        assert!(movers.iter().any(|(m, _)| m.writes.is_some()));
        for &(m, from) in &movers {
            assert_eq!(before.get(&m.id_number), Some(&Some(from)), "{m:?}");
            let times = world
                .members
                .iter()
                .filter(|o| o.id_number == m.id_number)
                .count();
            assert_eq!(times, 1, "{m:?}");
            if let Some(text) = &m.writes {
                let (new, old) = (&world.units[m.employer.unwrap()], &world.units[from]);
                let one_edit =
                    |a: &str| a.chars().zip(text.chars()).filter(|(x, y)| x != y).count() == 1;
                assert!(
                    one_edit(&new.name) && !world.names.is_taken(text),
                    "{text} {}",
                    new.name
                );
                let old_as_new = new.name.replacen(new.trade.as_str(), &old.trade, 1);
                assert!(one_edit(&old_as_new), "{text} {}", old.name);
            }
        }
    }
}
