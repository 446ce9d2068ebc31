//! Texts as the stages hold and fold them: [`SharedText`], an immutable text that many
//! records share, held in one word; [`nfkc`], the compatibility form every comparison
//! starts from.
//!
//! A month's records hold a dozen texts each that repeat across records (a district,
//! an industry, an organization's code, a member's employer as written), or that a
//! unit and its look-ups share (its USCC, its normal name). `Arc<str>` is two words (a
//! pointer and a length); this is one, with the length beside the bytes in the same
//! allocation (`triomphe::ThinArc`): 8 bytes less per field, about a tenth of what a
//! 10M-unit month holds while it links members.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use triomphe::ThinArc;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// A text in NFKC (full-width letters and digits as half-width, compatibility forms
/// folded). Most texts of an export are in that form already and are borrowed as they
/// are: ASCII and the unified ideographs (U+4E00–U+9FFF) have no decomposition and
/// compose with nothing, and the quick check tells the rest without decomposing and
/// composing every character.
pub fn nfkc(raw: &str) -> std::borrow::Cow<'_, str> {
    let stable = |c: char| c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c);
    if raw.chars().all(stable) || is_nfkc_quick(raw.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(raw.nfkc().collect())
    }
}

/// A text shared by reference count, compared, ordered and hashed as the `str` it holds
/// (so a map keyed by it is looked up by `&str`).
#[derive(Clone)]
pub struct SharedText(ThinArc<(), u8>);

impl SharedText {
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes were copied from a `str` (`From<&str>`, the only
        // constructor) and are never changed, so they are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.0.slice) }
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(ThinArc::from_header_and_slice((), text.as_bytes()))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText::from(text.as_str())
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As the `str` hashes, which `Borrow<str>` requires.
impl Hash for SharedText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_that_acts_as_its_text() {
        assert_eq!(std::mem::size_of::<SharedText>(), 8);
        assert_eq!(std::mem::size_of::<Option<SharedText>>(), 8);
        let a = SharedText::from("北京市东城区");
        let b = SharedText::from(String::from("北京市东城区"));
        assert_eq!(a, b);
        assert_eq!(&*a, "北京市东城区");
        assert_eq!(SharedText::from("").len(), 0);
        let (x, y) = (SharedText::from("a"), SharedText::from("b"));
        assert!(x < y);
        let mut set = std::collections::HashSet::new();
        set.insert(a.clone());
        // Found by the str it holds: the hash is the str's.
        assert!(set.contains("北京市东城区"));
        assert_eq!(format!("{a} {a:?}"), "北京市东城区 \"北京市东城区\"");
    }

    #[test]
    fn nfkc_borrows_only_what_is_in_the_form_already() {
        use std::borrow::Cow;
        let same = |raw: &str| {
            let full: String = raw.nfkc().collect();
            assert_eq!(nfkc(raw), full, "{raw:?}");
            matches!(nfkc(raw), Cow::Borrowed(_))
        };
        assert!(same("北京星河科技有限公司"));
        assert!(same("91110108100000032U"));
        assert!(same("中共北京星河科技有限公司支部委员会(第2)"));
        // Folded: full-width letters and brackets, a compatibility ideograph (豈 →
        // 豈), an ideographic space, a letter with its accent apart, Hangul jamo.
        assert!(!same("ＡＢ１２（北京）"));
        assert!(!same("\u{F900}"));
        assert!(!same("北京\u{3000}星河"));
        assert!(!same("Cafe\u{0301}"));
        assert!(!same("\u{1100}\u{1161}"));
    }
}
