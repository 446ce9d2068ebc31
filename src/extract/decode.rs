//! Text decoding of CSV exports. Office exports come as UTF-8, UTF-8 with a BOM, or
//! GBK/GB18030 — and Excel's 另存为 Unicode 文本 as UTF-16 with its byte-order mark. Detection order matters: a BOM is certain, strict UTF-8 almost never
//! passes by accident on Chinese GBK text, while GB18030 accepts nearly any byte
//! sequence, so it comes last.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{Encoding as Enc, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::config::Encoding;
use crate::error::{Error, Result};

/// Decodes a whole file; returns the text (UTF-8 input borrowed, not copied: a month's
/// member file is hundreds of megabytes) and the name of the encoding used.
pub fn decode<'a>(
    path: &Path,
    bytes: &'a [u8],
    setting: Encoding,
) -> Result<(Cow<'a, str>, &'static str)> {
    for (bom, enc) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return strict(path, rest, enc).map(|t| (t, enc.name()));
        }
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if setting == Encoding::Gb18030 {
            return Err(Error::Input {
                path: path.to_path_buf(),
                message:
                    "the pipeline says GB18030 but the file starts with a UTF-8 byte-order mark"
                        .into(),
            });
        }
        return strict(path, rest, UTF_8).map(|t| (t, "UTF-8 with BOM"));
    }
    match setting {
        Encoding::Utf8 => strict(path, bytes, UTF_8).map(|t| (t, "UTF-8")),
        Encoding::Gb18030 => strict(path, bytes, GB18030).map(|t| (t, "GB18030")),
        Encoding::Auto => match std::str::from_utf8(bytes) {
            Ok(t) => Ok((Cow::Borrowed(t), "UTF-8")),
            // A file whose first line is UTF-8 text is UTF-8 with lines of another
            // encoding (exports put together): the error names the first such line,
            // where read as GB18030 it would name the first line of all.
            Err(_) if starts_as_utf8_text(bytes) => {
                strict(path, bytes, UTF_8).map(|t| (t, "UTF-8"))
            }
            Err(_) => strict(path, bytes, GB18030).map(|t| (t, "GB18030")),
        },
    }
}

/// Whether the first line has text beyond ASCII and all of it is UTF-8.
fn starts_as_utf8_text(bytes: &[u8]) -> bool {
    let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    !line.is_ascii() && std::str::from_utf8(line).is_ok()
}

/// Decodes without replacement characters; on failure names the first bad line (and,
/// for a UTF-8 file, says where that line is GB18030: exports put together).
fn strict<'a>(path: &Path, bytes: &'a [u8], enc: &'static Enc) -> Result<Cow<'a, str>> {
    if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(text);
    }
    // Line feeds are single bytes in UTF-8 and GB18030 alike (no trail byte is 0x0A),
    // so decoding line by line finds the first line that is not valid.
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if enc
            .decode_without_bom_handling_and_without_replacement(line)
            .is_none()
        {
            let at = first_bad_offset(line, enc);
            let gbk_line = enc == UTF_8
                && GB18030
                    .decode_without_bom_handling_and_without_replacement(line)
                    .is_some();
            let advice = if gbk_line {
                "the line reads as GBK/GB18030 while the file is UTF-8 (exports put together?): save the whole file in one encoding"
            } else {
                "set `encoding` in the pipeline file if the export uses another one"
            };
            return Err(Error::Decode {
                path: path.to_path_buf(),
                line: i as u64 + 1,
                message: format!(
                    "bytes not valid in {} at byte {} of the line (0x{}); {advice}",
                    enc.name(),
                    at + 1,
                    line[at..]
                        .iter()
                        .take(4)
                        .map(|b| format!("{b:02X}"))
                        .collect::<String>()
                ),
            });
        }
    }
    Err(Error::Decode {
        path: path.to_path_buf(),
        line: 0,
        message: format!("not valid {}", enc.name()),
    })
}

fn first_bad_offset(line: &[u8], enc: &'static Enc) -> usize {
    (1..=line.len())
        .find(|&n| {
            let mut d = enc.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(n * 3 + 16);
            let (res, _) = d.decode_to_string_without_replacement(&line[..n], &mut out, false);
            matches!(res, encoding_rs::DecoderResult::Malformed(_, _))
        })
        .map(|n| n.saturating_sub(1))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("t.csv")
    }

    #[test]
    fn bom_utf8_gbk_are_told_apart() {
        let text = "名称,状态\n星河科技,存续\n";
        let (gbk, _, _) = GB18030.encode(text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(
            decode(p(), text.as_bytes(), Encoding::Auto).unwrap(),
            (Cow::from(text), "UTF-8")
        );
        assert_eq!(
            decode(p(), &bom, Encoding::Auto).unwrap(),
            (Cow::from(text), "UTF-8 with BOM")
        );
        assert_eq!(
            decode(p(), &gbk, Encoding::Auto).unwrap(),
            (Cow::from(text), "GB18030")
        );
    }

    /// Excel's 另存为 Unicode 文本: UTF-16 with its byte-order mark, little- or big-endian.
    #[test]
    fn utf16_with_its_mark_is_read() {
        let text = "名称\t状态\n星河科技\t存续\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            decode(p(), &le, Encoding::Auto).unwrap(),
            (Cow::from(text), "UTF-16LE")
        );
        assert_eq!(
            decode(p(), &be, Encoding::Auto).unwrap(),
            (Cow::from(text), "UTF-16BE")
        );
    }

    /// A UTF-8 file with a GBK line in it (two exports put together), with or without a
    /// byte-order mark: the error names that line and says what it is, not line 1.
    #[test]
    fn a_gbk_line_in_a_utf8_file_is_named() {
        let (gbk, _, _) = GB18030.encode("北京乙有限公司,存续\n");
        let mut bytes = "名称,状态\n北京甲有限公司,存续\n".as_bytes().to_vec();
        bytes.extend_from_slice(&gbk);
        for file in [bytes.clone(), [b"\xEF\xBB\xBF".as_slice(), &bytes].concat()] {
            match decode(p(), &file, Encoding::Auto) {
                Err(Error::Decode { line, message, .. }) => {
                    assert_eq!(line, 3);
                    assert!(
                        message.contains("GBK/GB18030 while the file is UTF-8"),
                        "{message}"
                    );
                }
                other => panic!("expected a decode error, got {other:?}"),
            }
        }
    }

    #[test]
    fn bad_utf8_names_the_line() {
        let bytes = b"a,b\nc,d\ne,\xFF\xFE\n";
        match decode(p(), bytes, Encoding::Utf8) {
            Err(Error::Decode { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
