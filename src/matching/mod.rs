//! Scored matching of Chinese unit names, for what exact codes and exact names leave:
//! registry records without a code, and members' free-text 工作单位.
//!
//! A name is reduced to its core (normal form without the legal form: 有限公司,
//! 股份公司, (普通合伙) …) and cut into character bigrams. Bigrams are weighted by
//! rarity (inverse document frequency over all unit names), so that 科技, 商贸 or 服务
//! say little and the 字号 says much; similarity is the weighted Dice coefficient of two
//! bigram sets, 2·w(A∩B) / (w(A) + w(B)). Candidates come from an inverted index over the rarer bigrams only
//! (blocking), so a query touches a few units, not all of them. A branch (分公司) only
//! ever matches a branch.

use std::collections::HashMap;

mod typo;
pub use typo::{written_one_edit_apart, TypoIndex};

/// Endings that name the legal form, not the unit; removed from the core.
const LEGAL_FORMS: &[&str] = &[
    "(特殊普通合伙)",
    "(普通合伙)",
    "(有限合伙)",
    "有限公司",
    "股份公司",
    "有限合伙",
    "公司",
];

/// A bigram shared by more names than this is not used to find candidates.
const BLOCKING_MAX_DF: usize = 2_000;
/// How many candidates are scored in full per query.
const SCORED_CANDIDATES: usize = 20;

/// Whether two normalized names state different legal forms (有限公司 and 股份公司, or
/// a partnership and a company): registry names are official, so such records are two
/// registrations however alike the rest. A bare 公司 states none.
/// A branch's form is its parent's (北京某某有限公司密云分公司: 有限公司). A group's
/// 集团 before the form counts with it (某某科技（集团）有限公司 is not 某某科技有限公司):
/// a typo that spells another company's 字号 but for it is no more that company.
pub fn legal_forms_differ(a: &str, b: &str) -> bool {
    let form = |name: &str| {
        let form = match parents_form(name) {
            Some((at, _)) => LEGAL_FORMS.iter().find(|f| name[at..].starts_with(*f)),
            None => LEGAL_FORMS.iter().find(|f| name.ends_with(*f)),
        };
        form.copied().filter(|f| *f != "公司")
    };
    let group = |name: &str| name.contains("集团");
    matches!((form(a), form(b)), (Some(x), Some(y)) if x != y || group(a) != group(b))
}

/// Where a branch's name states its parent's legal form, and how long it is: the last
/// legal form before the branch's place (某某有限公司 | 密云 | 分公司).
fn parents_form(name_key: &str) -> Option<(usize, usize)> {
    let parent_and_place = &name_key[..name_key.rfind("分公司")?];
    LEGAL_FORMS
        .iter()
        .filter_map(|f| Some((parent_and_place.rfind(f)?, f.len())))
        .filter(|&(at, _)| at > 0)
        .max_by_key(|&(at, len)| (at + len, len))
}

/// The company of a branch's name, as a normalized name: 某某有限公司 of
/// 某某有限公司第一分公司 (the name up to the parent's legal form before the branch's
/// place); `None` for a name that is no branch or states no legal form before it.
pub fn branch_company(name_key: &str) -> Option<&str> {
    if !name_key.ends_with("分公司") {
        return None;
    }
    let (at, len) = parents_form(name_key)?;
    Some(&name_key[..at + len])
}

/// The core of a normalized name and whether it is a branch. A branch's core leaves
/// out its parent's legal form too, as members write it (某某文化传媒密云分公司 for
/// 北京某某文化传媒有限公司密云分公司).
pub fn core(name_key: &str) -> (String, bool) {
    let branch = name_key.contains("分公司");
    let mut core = match parents_form(name_key) {
        Some((at, len)) => [&name_key[..at], &name_key[at + len..]].concat(),
        None => name_key.to_string(),
    };
    loop {
        let before = core.len();
        // 集团 before the form is the group's word, not the 字号 (某某科技（集团）有限公司:
        // members write 某某科技 for it, as for 某某科技有限公司).
        for form in LEGAL_FORMS.iter().chain(&["集团"]) {
            if let Some(stripped) = core.strip_suffix(form) {
                if !stripped.is_empty() {
                    core = stripped.to_string();
                }
            }
        }
        if core.len() == before {
            break;
        }
    }
    (core, branch)
}

/// A core's bigrams as a multiset: a bigram that occurs twice is two (its second
/// occurrence a gram of its own), so that 博博博 (博博 twice) is not 博博 (once) — as
/// sets they were equal and scored 1.0.
fn bigrams(core: &str) -> Vec<Gram> {
    let chars: Vec<char> = core.chars().collect();
    let mut grams: Vec<Gram> = match chars.len() {
        0 => Vec::new(),
        1 => vec![(chars[0], '\0', 0)],
        _ => chars.windows(2).map(|w| (w[0], w[1], 0)).collect(),
    };
    grams.sort_unstable();
    for i in 1..grams.len() {
        let (a, b, n) = grams[i - 1];
        if (grams[i].0, grams[i].1) == (a, b) {
            grams[i].2 = n.saturating_add(1);
        }
    }
    grams
}

/// A bigram and which occurrence of it in the name (0 for the first).
type Gram = (char, char, u8);

/// A list of short lists in two flat vectors: list `i` is `items[ends[i - 1]..ends[i]]`.
/// The name indexes hold one list per name (a million and more), and a `Vec` each
/// would cost its 24 bytes and an allocation on top of a few items.
#[derive(Default)]
struct Lists<T> {
    ends: Vec<u32>,
    items: Vec<T>,
}

impl<T> Lists<T> {
    fn push(&mut self, list: impl IntoIterator<Item = T>) {
        self.items.extend(list);
        self.ends.push(self.items.len() as u32);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Gives back what growing left spare: the indexes live through link.
    fn shrink_to_fit(&mut self) {
        self.ends.shrink_to_fit();
        self.items.shrink_to_fit();
    }

    fn get(&self, i: usize) -> &[T] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.items[start..self.ends[i] as usize]
    }
}

/// An index of unit names for scored look-ups.
pub struct NameMatcher {
    gram_id: HashMap<Gram, u32>,
    idf: Vec<f32>,
    /// Sorted gram ids of each entry.
    grams: Lists<u32>,
    /// The unit each entry stands for (a unit may have several names).
    unit: Vec<u32>,
    branch: Vec<bool>,
    /// The entries of each gram shared by at most `BLOCKING_MAX_DF` names, in order.
    postings: Lists<u32>,
}

/// How far the best candidate must lead the next one to be taken: two units whose
/// names score alike (星河科技有限公司 and 星河科技股份有限公司 for 星河科技) are a
/// question for a person, not a match.
pub const MIN_LEAD: f64 = 0.05;

/// The best candidate if it clearly leads the others.
pub fn clear_winner(candidates: &[Candidate]) -> Option<Candidate> {
    let first = *candidates.first()?;
    match candidates.get(1) {
        Some(second) if first.score - second.score < MIN_LEAD => None,
        _ => Some(first),
    }
}

/// The first `k` items in `order` that `keep` admits, in that order: the same as
/// sorting all, filtering and truncating, but sorting only a few times `k` leaders.
fn leaders<T: Copy>(
    items: &mut [T],
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
    k: usize,
    keep: impl Fn(T) -> bool,
) -> Vec<T> {
    let mut take = (4 * k).max(64);
    loop {
        let all = take >= items.len();
        let head = if all {
            &mut items[..]
        } else {
            items.select_nth_unstable_by(take, &order);
            &mut items[..take]
        };
        head.sort_unstable_by(&order);
        let chosen: Vec<T> = head.iter().copied().filter(|&x| keep(x)).take(k).collect();
        if chosen.len() == k || all {
            return chosen;
        }
        take *= 4;
    }
}

/// A scored candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub unit: usize,
    pub score: f64,
}

impl NameMatcher {
    /// Indexes `(unit, normalized name)` pairs.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        let mut m = NameMatcher {
            gram_id: HashMap::new(),
            idf: Vec::new(),
            grams: Lists::default(),
            unit: Vec::new(),
            branch: Vec::new(),
            postings: Lists::default(),
        };
        let mut df: Vec<usize> = Vec::new();
        for (unit, name) in names {
            let (core, branch) = core(name);
            let mut ids: Vec<u32> = bigrams(&core)
                .into_iter()
                .map(|g| {
                    let next = m.gram_id.len() as u32;
                    let id = *m.gram_id.entry(g).or_insert(next);
                    if id as usize == df.len() {
                        df.push(0);
                    }
                    df[id as usize] += 1;
                    id
                })
                .collect();
            ids.sort_unstable();
            m.grams.push(ids);
            m.unit.push(unit as u32);
            m.branch.push(branch);
        }
        m.grams.shrink_to_fit();
        let n = m.grams.len().max(1) as f32;
        m.idf = df.iter().map(|&d| (n / d as f32).ln() + 1.0).collect();
        m.postings = m.postings_of(&df);
        m
    }

    /// The posting lists, filled in entry order: counted first, so that they are laid
    /// out flat once.
    fn postings_of(&self, df: &[usize]) -> Lists<u32> {
        let blocking = |g: u32| df[g as usize] <= BLOCKING_MAX_DF;
        let mut ends = vec![0u32; df.len()];
        let mut total = 0u32;
        for (g, &d) in df.iter().enumerate() {
            total += if blocking(g as u32) { d as u32 } else { 0 };
            ends[g] = total;
        }
        let mut next: Vec<u32> = std::iter::once(0).chain(ends.iter().copied()).collect();
        let mut items = vec![0u32; total as usize];
        for entry in 0..self.grams.len() {
            for &g in self.grams.get(entry).iter().filter(|&&g| blocking(g)) {
                items[next[g as usize] as usize] = entry as u32;
                next[g as usize] += 1;
            }
        }
        Lists { ends, items }
    }

    fn query_grams(&self, core: &str) -> (Vec<u32>, f32) {
        // Bigrams no indexed name has still count against the match, at the highest weight.
        let unseen = self.idf.iter().cloned().fold(1.0f32, f32::max);
        let mut known = Vec::new();
        let mut unknown_weight = 0.0;
        for g in bigrams(core) {
            match self.gram_id.get(&g) {
                Some(&id) => known.push(id),
                None => unknown_weight += unseen,
            }
        }
        known.sort_unstable();
        (known, unknown_weight)
    }

    /// Each entry sharing an indexed bigram with the query (and of the query's branch
    /// kind), with the summed weight of the bigrams shared. Summed in a dense array per
    /// thread: a common bigram's posting list is long, and this runs once per name.
    fn votes(&self, query: &[u32], branch: bool) -> Vec<(u32, f32)> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Vec<f32>, Vec<u32>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        SCRATCH.with(|scratch| {
            let (votes, touched) = &mut *scratch.borrow_mut();
            if votes.len() < self.grams.len() {
                votes.resize(self.grams.len(), 0.0);
            }
            for &g in query {
                let weight = self.idf[g as usize];
                for &e in self.postings.get(g as usize) {
                    // Weights are at least 1: a zero is an entry not yet seen.
                    let v = &mut votes[e as usize];
                    if *v == 0.0 {
                        touched.push(e);
                    }
                    *v += weight;
                }
            }
            let out = touched
                .iter()
                .filter(|&&e| self.branch[e as usize] == branch)
                .map(|&e| (e, votes[e as usize]))
                .collect();
            for &e in touched.iter() {
                votes[e as usize] = 0.0;
            }
            touched.clear();
            out
        })
    }

    /// Weighted Dice coefficient between a query and an entry.
    fn similarity(&self, query: &[u32], unknown_weight: f32, entry: usize) -> f64 {
        let other = self.grams.get(entry);
        let weight = |ids: &[u32]| ids.iter().map(|g| self.idf[*g as usize]).sum::<f32>();
        let total = weight(query) + unknown_weight + weight(other);
        let (mut i, mut j, mut shared) = (0, 0, 0f32);
        while i < query.len() && j < other.len() {
            match query[i].cmp(&other[j]) {
                std::cmp::Ordering::Equal => {
                    shared += self.idf[query[i] as usize];
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        if total == 0.0 {
            0.0
        } else {
            (2.0 * shared / total) as f64
        }
    }

    /// The best units for a normalized name, best first, at most `k`, each unit once;
    /// only units `allowed` admits.
    pub fn best(
        &self,
        name_key: &str,
        k: usize,
        allowed: impl Fn(usize) -> bool,
    ) -> Vec<Candidate> {
        let (core, branch) = core(name_key);
        let (query, unknown) = self.query_grams(&core);
        let mut pre = self.votes(&query, branch);
        // Highest votes first, ties by entry; the best SCORED_CANDIDATES the filter
        // admits. The filter is asked of the leaders only: it is costly and rarely says no.
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let pre = leaders(&mut pre, order, SCORED_CANDIDATES, |e| {
            allowed(self.unit[e.0 as usize] as usize)
        });
        let mut scored: Vec<Candidate> = pre
            .into_iter()
            .map(|(e, _)| Candidate {
                unit: self.unit[e as usize] as usize,
                score: self.similarity(&query, unknown, e as usize),
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.unit.cmp(&b.unit)));
        let mut seen = std::collections::HashSet::new();
        scored.retain(|c| seen.insert(c.unit));
        scored.truncate(k);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `leaders` gives what sorting everything, filtering and truncating gives, whatever
    /// the filter refuses (here: a pseudo-random third of the items, or all of them).
    #[test]
    fn leaders_are_the_sorted_filtered_head() {
        let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        for n in [0usize, 5, 63, 64, 65, 300, 5000] {
            let items: Vec<(u32, f32)> = (0..n as u32).map(|e| (e, (next() % 50) as f32)).collect();
            for refuse in [3u32, 1] {
                let keep = |x: (u32, f32)| refuse != 1 && !x.0.is_multiple_of(refuse);
                let mut expected = items.clone();
                expected.sort_unstable_by(order);
                expected.retain(|&x| keep(x));
                expected.truncate(SCORED_CANDIDATES);
                let mut work = items.clone();
                assert_eq!(
                    leaders(&mut work, order, SCORED_CANDIDATES, keep),
                    expected,
                    "{n}"
                );
            }
        }
    }
    use crate::names::normalize_name;

    fn key(s: &str) -> String {
        normalize_name(s, &["北京市".into(), "北京".into()])
    }

    fn matcher(names: &[&str]) -> (NameMatcher, Vec<String>) {
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        (
            NameMatcher::new(keys.iter().enumerate().map(|(i, k)| (i, k.as_str()))),
            keys,
        )
    }

    /// The score is the weighted Dice coefficient (the module doc said Jaccard).
    /// One indexed name: every bigram has df 1 of n 1, idf ln(1) + 1 = 1. Core 星河光电 has
    /// 星河 河光 光电 (w 3); the query 星河光学 has 星河 河光 and the unseen 光学, which
    /// weighs the highest idf, 1 (w 3). Shared 星河 河光 (w 2):
    /// The flat posting lists hold, for each bigram, the entries that have it, in entry
    /// order: 星河光电 (0), 星河科技 (1), 光电星河 (2) → 星河: 0, 1, 2; 河光: 0; 光电:
    /// 0, 2; 河科: 1; 科技: 1; 电星: 2.
    #[test]
    fn posting_lists_are_each_bigrams_entries_in_order() {
        let (m, _) = matcher(&["星河光电有限公司", "星河科技有限公司", "光电星河有限公司"]);
        let entries = |a: char, b: char| m.postings.get(m.gram_id[&(a, b, 0)] as usize).to_vec();
        assert_eq!(entries('星', '河'), [0, 1, 2]);
        assert_eq!(entries('河', '光'), [0]);
        assert_eq!(entries('光', '电'), [0, 2]);
        assert_eq!(entries('河', '科'), [1]);
        assert_eq!(entries('科', '技'), [1]);
        assert_eq!(entries('电', '星'), [2]);
        assert_eq!(m.postings.len(), m.gram_id.len());
        assert_eq!(m.grams.get(2).len(), 3);
    }

    /// Dice 2·2 / (3 + 3) = 0.6667 (Jaccard would be 2 / 4 = 0.5).
    #[test]
    fn similarity_is_the_weighted_dice_coefficient() {
        let (m, _) = matcher(&["星河光电有限公司"]);
        let found = m.best(&key("星河光学有限公司"), 3, |_| true);
        assert_eq!(found.len(), 1);
        assert!((found[0].score - 4.0 / 6.0).abs() < 1e-6, "{found:?}");
    }

    #[test]
    fn legal_forms_tell_registrations_apart() {
        // 有限责任公司 is 有限公司 in normal form; 股份有限公司 is 股份公司.
        assert!(legal_forms_differ(
            &key("北京禾丰科技有限责任公司"),
            &key("北京市禾丰科技股份有限公司")
        ));
        assert!(!legal_forms_differ(
            &key("北京禾丰科技有限责任公司"),
            &key("北京禾丰科技有限公司")
        ));
        // A bare 公司, or no form at all, says nothing.
        assert!(!legal_forms_differ(
            &key("北京禾丰科技公司"),
            &key("北京禾丰科技股份有限公司")
        ));
        assert!(!legal_forms_differ(
            &key("禾丰科技"),
            &key("北京禾丰科技股份有限公司")
        ));
    }

    #[test]
    fn a_branch_names_its_company() {
        let company = key("北京星河科技股份有限公司");
        let branch = key("北京星河科技股份有限公司第一分公司");
        assert_eq!(branch_company(&branch), Some(company.as_str()));
        assert_eq!(branch_company(&company), None);
        // No legal form before the place: nothing to name the company by.
        assert_eq!(branch_company(&key("星河科技朝阳分公司")), None);
    }

    #[test]
    fn cores_drop_the_legal_form() {
        assert_eq!(
            core(&key("北京星河科技有限责任公司")),
            ("星河科技".to_string(), false)
        );
        assert_eq!(
            core(&key("北京华夏会计师事务所（普通合伙）")),
            ("华夏会计师事务所".to_string(), false)
        );
        assert!(core(&key("北京星河科技有限公司朝阳分公司")).1);
    }

    #[test]
    fn an_abbreviation_finds_its_unit_with_full_score() {
        let (m, _) = matcher(&[
            "北京星河科技有限公司",
            "北京云帆商贸有限公司",
            "北京星海科技有限公司",
        ]);
        let best = m.best(&key("星河科技"), 3, |_| true);
        assert_eq!(
            best[0],
            Candidate {
                unit: 0,
                score: 1.0
            }
        );
    }

    #[test]
    fn a_groups_word_is_no_part_of_the_core() {
        assert_eq!(core(&key("北京星河科技（集团）有限公司")).0, "星河科技");
        assert_eq!(core(&key("北京星河科技集团股份有限公司")).0, "星河科技");
        // A name that is only 集团 keeps it.
        assert_eq!(core("集团有限公司").0, "集团");
        // Written in full, with or without 集团 are two forms; a short name is neither.
        assert!(legal_forms_differ(
            &key("北京星河科技（集团）有限公司"),
            &key("北京星河科技有限公司")
        ));
        assert!(!legal_forms_differ(
            &key("北京星河科技集团有限公司"),
            &key("星河科技")
        ));
    }

    #[test]
    fn a_repeated_character_is_counted_as_often_as_written() {
        // 博博博 has the bigram 博博 twice, 博博 once: as sets they were equal (1.0). As
        // multisets, with 房地 and 地产 shared too, the query (博博房地产) has 4 bigrams and
        // the entry 5, of which 4 shared: below 1, and 恒博 … is no longer outscored by a
        // name that only repeats a character.
        let (m, _) = matcher(&["北京市博博博房地产有限公司", "北京市恒博房地产有限公司"]);
        let best = m.best(&key("北京市博博房地产有限公司"), 2, |_| true);
        assert!(best.iter().all(|c| c.score < 1.0), "{best:?}");
    }

    #[test]
    fn rare_characters_weigh_more_than_common_words() {
        // Many 科技 companies make 科技 a common bigram: sharing it says little.
        let mut names = vec!["北京星河远航科技有限公司".to_string()];
        for i in 0..50 {
            names.push(format!(
                "北京{}{}科技有限公司",
                ["甲", "乙", "丙", "丁", "戊"][i % 5],
                ["子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉"][i / 5]
            ));
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (m, _) = matcher(&refs);
        // A typo in one character of the 字号 keeps most rare bigrams.
        let typo = m.best(&key("星河远帆科技有限公司"), 1, |_| true);
        assert_eq!(typo[0].unit, 0);
        // Only the common word shared: a low score.
        let other = m.best(&key("北京蓝海创新科技有限公司"), 1, |_| true);
        assert!(other.is_empty() || other[0].score < 0.3, "{other:?}");
        assert!(typo[0].score > 0.45 && typo[0].score < 0.85, "{typo:?}");
    }

    #[test]
    fn a_branch_never_matches_its_parent() {
        let (m, _) = matcher(&["北京星河科技有限公司", "北京星河科技有限公司朝阳分公司"]);
        let best = m.best(&key("星河科技有限公司朝阳分公司"), 3, |_| true);
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].unit, 1);
        let parent = m.best(&key("星河科技有限公司"), 3, |_| true);
        assert!(parent.iter().all(|c| c.unit == 0));
    }

    /// A branch written without its parent's legal form (as a member writes it) has the
    /// branch's core: the one unit, at full score; branches of two parents of different
    /// legal forms stay two registrations.
    #[test]
    fn a_branch_written_without_its_parents_form_is_that_branch() {
        let (m, _) = matcher(&[
            "北京和启文化传媒有限公司",
            "北京和启文化传媒有限公司密云分公司",
            "北京越蓝文化传媒股份有限公司密云分公司",
        ]);
        let best = m.best(&key("和启文化传媒密云分公司"), 3, |_| true);
        assert_eq!((best[0].unit, best[0].score), (1, 1.0));
        assert_eq!(clear_winner(&best).map(|c| c.unit), Some(1));
        assert_eq!(
            core(&key("北京和启文化传媒有限公司密云分公司")).0,
            "和启文化传媒密云分"
        );
        assert!(legal_forms_differ(
            &key("星河科技有限公司密云分公司"),
            &key("星河科技股份有限公司密云分公司")
        ));
        assert!(!legal_forms_differ(
            &key("星河科技有限公司密云分公司"),
            &key("星河科技密云分公司")
        ));
    }

    #[test]
    fn two_units_with_the_same_core_have_no_clear_winner() {
        let (m, _) = matcher(&[
            "北京星河科技有限公司",
            "北京星河科技股份有限公司",
            "北京云帆商贸有限公司",
        ]);
        let best = m.best(&key("星河科技"), 3, |_| true);
        assert_eq!(best.len(), 2);
        assert_eq!(clear_winner(&best), None);
        let one = m.best(&key("云帆商贸"), 3, |_| true);
        assert_eq!(clear_winner(&one).map(|c| c.unit), Some(2));
    }

    #[test]
    fn allowed_filters_candidates() {
        let (m, _) = matcher(&["北京星河科技有限公司", "北京星河科技有限公司"]);
        let best = m.best(&key("星河科技"), 3, |u| u == 1);
        assert_eq!(best.iter().map(|c| c.unit).collect::<Vec<_>>(), vec![1]);
    }
}
