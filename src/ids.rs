//! Check digits and normal forms of the identifiers the exports carry:
//! 统一社会信用代码 (USCC, GB 32100-2015), 组织机构代码 (GB 11714-1997),
//! 15-digit 注册号 (ISO 7064 MOD 11,10) and 公民身份号码 (GB 11643-1999, MOD 11-2).
//!
//! Exports write codes with full-width characters, lower case, spaces and hyphens, so
//! every code is normalized before it is checked or compared.

/// The 31 characters a USCC may use (no I, O, Z, S, V).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^i mod 31 for i = 0..17.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_CODE_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Full-width to half-width, upper case, with spaces and hyphens removed.
pub fn normalize_code(raw: &str) -> String {
    crate::text::nfkc(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(|c| c.to_uppercase())
        .collect()
}

/// A code with the letters that look like digits (O, I, Z, S; the USCC alphabet leaves
/// them out for that reason) read as those digits (0, 1, 2, 5).
pub fn confusable_letters_as_digits(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            'O' => '0',
            'I' => '1',
            'Z' => '2',
            'S' => '5',
            c => c,
        })
        .collect()
}

/// Computes the USCC check character for the first 17 characters, if they are valid.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(USCC_WEIGHTS) {
        let v = USCC_ALPHABET.iter().position(|a| a == b)? as u32;
        sum += v * w;
    }
    Some(USCC_ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

/// A normalized USCC whose check character (GB 32100 MOD 31) is right.
///
/// The embedded 主体标识码 is not required to pass GB 11714 as well: codes assigned by
/// 司法行政 (`31110000E…`) and other registries need not, and the MOD 31 check character
/// already covers every character.
pub fn is_valid_uscc(code: &str) -> bool {
    code.len() == 18 && code.is_ascii() && uscc_check_char(&code[..17]) == code[17..].chars().next()
}

/// The 9-character organization code embedded in a USCC (characters 9 to 17), where it
/// is a valid GB 11714 code (only then does it identify the unit across registries).
pub fn org_code_of_uscc(uscc: &str) -> Option<&str> {
    (uscc.len() == 18 && uscc.is_ascii())
        .then(|| &uscc[8..17])
        .filter(|oc| is_valid_org_code(oc))
}

/// A valid USCC written inside free text, e.g. a 工作单位 of
/// `北京星河科技有限公司（91110105MA01ABCD1E）`: the code, and the text without it (and
/// without the brackets around it).
pub fn uscc_in_text(text: &str) -> Option<(String, String)> {
    let folded: Vec<char> = crate::text::nfkc(text).chars().collect();
    let is_code_char = |c: char| c.is_ascii_alphanumeric();
    let mut i = 0;
    while i < folded.len() {
        if !is_code_char(folded[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < folded.len() && is_code_char(folded[i]) {
            i += 1;
        }
        if i - start != 18 {
            continue;
        }
        let code: String = folded[start..i]
            .iter()
            .flat_map(|c| c.to_uppercase())
            .collect();
        if !is_valid_uscc(&code) {
            continue;
        }
        let (mut a, mut b) = (start, i);
        while a > 0 && b < folded.len() && folded[a - 1] == '(' && folded[b] == ')' {
            a -= 1;
            b += 1;
        }
        let rest: String = folded[..a].iter().chain(&folded[b..]).collect();
        return Some((code, rest.trim().to_string()));
    }
    None
}

fn org_code_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'A'..=b'Z' => Some((b - b'A') as u32 + 10),
        _ => None,
    }
}

/// Computes the GB 11714 check character for the first 8 characters.
pub fn org_code_check_char(first8: &str) -> Option<char> {
    let bytes = first8.as_bytes();
    if bytes.len() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(ORG_CODE_WEIGHTS) {
        sum += org_code_value(*b)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10)?,
    })
}

/// A normalized (hyphen-free) 9-character organization code with a right check character.
pub fn is_valid_org_code(code: &str) -> bool {
    code.len() == 9
        && code.is_ascii()
        && org_code_check_char(&code[..8]) == code[8..].chars().next()
}

/// Computes the ISO 7064 MOD 11,10 check digit of a 注册号 from its first 14 digits.
pub fn reg_no_check_digit(first14: &str) -> Option<char> {
    if first14.len() != 14 {
        return None;
    }
    let mut p = 10u32;
    for c in first14.chars() {
        let s = p % 11 + c.to_digit(10)?;
        let r = s % 10;
        p = if r == 0 { 10 } else { r } * 2;
    }
    char::from_digit((11 - p % 11) % 10, 10)
}

/// A 15-digit registration number with a right check digit.
pub fn is_valid_reg_no(code: &str) -> bool {
    code.len() == 15
        && code.is_ascii()
        && reg_no_check_digit(&code[..14]) == code[14..].chars().next()
}

/// Computes the GB 11643 check character from the first 17 digits of an ID number.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(ID_WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// Outcome of reading a 公民身份号码.
#[derive(Debug, PartialEq, Eq)]
pub enum IdNumber {
    /// 18 characters with a right check character (a 15-digit number is upgraded to 18).
    Valid(String),
    /// Right length and characters, wrong check character.
    BadCheck(String),
    /// Right check character, but the birth date in it (characters 7 to 14) is no date.
    BadBirthDate(String),
    /// Not an ID number at all.
    Malformed,
}

/// Normalizes and checks an ID number. Old 15-digit numbers become their 18-digit form
/// (century 19 inserted, check character computed) so one person has one pseudonym.
pub fn parse_id_number(raw: &str) -> IdNumber {
    let code = normalize_code(raw);
    if code.len() == 15 && code.bytes().all(|b| b.is_ascii_digit()) {
        let first17 = format!("{}19{}", &code[..6], &code[6..]);
        let check = id_check_char(&first17).expect("17 digits");
        return IdNumber::Valid(format!("{first17}{check}"));
    }
    let shape_ok = code.len() == 18
        && code.is_ascii()
        && code[..17].bytes().all(|b| b.is_ascii_digit())
        && code[17..].bytes().all(|b| b.is_ascii_digit() || b == b'X');
    if !shape_ok {
        return IdNumber::Malformed;
    }
    if id_check_char(&code[..17]) != code[17..].chars().next() {
        IdNumber::BadCheck(code)
    } else if crate::extract::values::parse_date(&code[6..14]).is_none() {
        IdNumber::BadBirthDate(code)
    } else {
        IdNumber::Valid(code)
    }
}

/// Masks an ID number for the rejects table: the area code stays, the rest does not.
pub fn mask_id_number(raw: &str) -> String {
    let code: Vec<char> = normalize_code(raw).chars().collect();
    code.iter()
        .enumerate()
        .map(|(i, c)| if i < 6 { *c } else { '*' })
        .collect()
}

/// A party organization's code as compared and kept: full-width folded, without spaces,
/// in capitals. Exports of one system write it alike, but a member list typed or
/// re-saved elsewhere writes `sq1101111` or `SQ 1101111` for `SQ1101111`.
pub fn org_id_key(written: &str) -> String {
    crate::text::nfkc(written)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uscc_public_example_is_valid() {
        // The example of GB 32100-2015 itself.
        assert!(is_valid_uscc("91350100M000100Y43"));
        assert_eq!(uscc_check_char("91350100M000100Y4"), Some('3'));
        // Any other last character is wrong.
        assert!(!is_valid_uscc("91350100M000100Y44"));
        // Letters outside the alphabet (I, O, S, V, Z) never pass.
        assert!(!is_valid_uscc("91350100M000100I43"));
        assert!(!is_valid_uscc("91350100M000100Y4"));
    }

    #[test]
    fn letters_typed_for_digits_read_as_the_digits() {
        assert_eq!(
            confusable_letters_as_digits("9135O1OOMOOO1OOY43"),
            "91350100M000100Y43"
        );
        assert_eq!(confusable_letters_as_digits("I2S4Z"), "12542");
    }

    #[test]
    fn uscc_normalizes_full_width_and_case() {
        let raw = "９１３５０１００ｍ０００１００ｙ４３ ";
        assert_eq!(normalize_code(raw), "91350100M000100Y43");
        assert!(is_valid_uscc(&normalize_code(raw)));
    }

    #[test]
    fn org_code_inside_uscc() {
        // M000100Y: M=22. 22*3 + 1*5 + Y(34)*2 = 66 + 5 + 68 = 139; 139 mod 11 = 7;
        // 11 - 7 = 4, so the check character is 4.
        assert_eq!(org_code_of_uscc("91350100M000100Y43"), Some("M000100Y4"));
        assert!(is_valid_org_code("M000100Y4"));
        assert!(is_valid_org_code(&normalize_code("M000100Y-4")));
        assert!(!is_valid_org_code("M000100Y5"));
        // 8 zeros: sum 0, 11 - 0 = 11 → '0'.
        assert_eq!(org_code_check_char("00000000"), Some('0'));
    }

    #[test]
    fn reg_no_mod_11_10() {
        // Digits 11010800000001, p starts at 10:
        // 1→p=2, 1→6, 0→12, 1→4, 0→8, 8→12, 0→2, 0→4, 0→8, 0→16, 0→10, 0→20, 0→18, 1→16;
        // check = (11 - 16 mod 11) mod 10 = 6.
        assert_eq!(reg_no_check_digit("11010800000001"), Some('6'));
        assert!(is_valid_reg_no("110108000000016"));
        assert!(!is_valid_reg_no("110108000000017"));
        assert!(!is_valid_reg_no("11010800000001"));
    }

    #[test]
    fn id_number_gb11643_examples() {
        // The standard's example: weighted sum 167, 167 mod 11 = 2 → 'X'.
        assert_eq!(
            parse_id_number("11010519491231002X"),
            IdNumber::Valid("11010519491231002X".into())
        );
        assert_eq!(
            parse_id_number("11010519491231002x"),
            IdNumber::Valid("11010519491231002X".into())
        );
        assert_eq!(
            parse_id_number("110105194912310021"),
            IdNumber::BadCheck("110105194912310021".into())
        );
        assert_eq!(parse_id_number("11010519491231"), IdNumber::Malformed);
        assert_eq!(parse_id_number("1101051949123100AX"), IdNumber::Malformed);
    }

    #[test]
    fn old_15_digit_id_becomes_18() {
        // 110105491231002 → 110105 19 491231002 + check X (same person as above).
        assert_eq!(
            parse_id_number("110105491231002"),
            IdNumber::Valid("11010519491231002X".into())
        );
    }

    #[test]
    fn non_ascii_of_the_right_byte_length_is_no_code() {
        // Found by fuzzing: 18 bytes that are not 18 characters.
        assert_eq!(parse_id_number("𑎧<P?LJ'{꟒🪦"), IdNumber::Malformed);
        assert!(!is_valid_reg_no("一二三四五"));
    }

    #[test]
    fn an_impossible_birth_date_is_told_apart() {
        // Born "1949-13-31": the weighted sum of 11010519491331002 is 1*7 + 1*9 + 0*10
        // + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 3*9 + 3*10 + 1*5 + 0*8 + 0*4
        // + 2*2 = 176; 176 mod 11 = 0 → check '1'. The check passes, the date does not.
        assert_eq!(id_check_char("11010519491331002"), Some('1'));
        assert_eq!(
            parse_id_number("110105194913310021"),
            IdNumber::BadBirthDate("110105194913310021".into())
        );
    }

    #[test]
    fn law_firm_e_codes_are_valid_usccs() {
        // 司法行政 codes carry E in position 9; the MOD 31 check character is 4.
        assert!(is_valid_uscc("31110000E492955504"));
        assert_eq!(uscc_check_char("31110000E49295550"), Some('4'));
        assert!(!is_valid_uscc("31110000E492955505"));
    }

    #[test]
    fn a_uscc_inside_a_unit_name_is_found_and_cut_out() {
        let (code, rest) = uscc_in_text("北京星河科技有限公司（91350100M000100Y43）").unwrap();
        assert_eq!(code, "91350100M000100Y43");
        assert_eq!(rest, "北京星河科技有限公司");
        let (code, rest) = uscc_in_text("91350100m000100y43 星河科技").unwrap();
        assert_eq!(
            (code.as_str(), rest.as_str()),
            ("91350100M000100Y43", "星河科技")
        );
        // A wrong check character is no code; 19 characters are no code either.
        assert_eq!(uscc_in_text("星河科技(91350100M000100Y44)"), None);
        assert_eq!(uscc_in_text("星河科技(91350100M000100Y433)"), None);
    }

    #[test]
    fn masking_keeps_only_the_area() {
        assert_eq!(mask_id_number("11010519491231002X"), "110105************");
    }
}
