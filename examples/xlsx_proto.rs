use std::io::Write;
use std::time::Instant;
fn esc(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            _ => out.push(b),
        }
    }
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let level: i64 = args[2].parse().unwrap();
    let conn = duckdb::Connection::open(&args[1]).unwrap();
    let t0 = Instant::now();
    let mut stmt = conn.prepare("SELECT district_name, street, name, uscc, unit_kind_cn, employees, formal_members, probationary_members, members_not_transferred, org_form_cn, single_org_level_cn, org_ids, instructor_cn, mass_org_cn, org_covered_cn, work_covered_cn FROM attachment_units WHERE sector='enterprise' ORDER BY district_code, street, name").unwrap();
    let mut rows = stmt.query([]).unwrap();
    let f = std::fs::File::create("/tmp/proto/a.xlsx").unwrap();
    let mut zip = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(level));
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let mut buf = Vec::with_capacity(1 << 20);
    let mut r = 3u32;
    let mut n = 0;
    while let Some(row) = rows.next().unwrap() {
        buf.extend_from_slice(b"<row r=\"");
        buf.extend_from_slice(r.to_string().as_bytes());
        buf.extend_from_slice(b"\">");
        for c in 0..16 {
            let v: duckdb::types::Value = row.get(c).unwrap();
            match v {
                duckdb::types::Value::Text(s) => {
                    buf.extend_from_slice(b"<c s=\"3\" t=\"inlineStr\"><is><t>");
                    esc(&s, &mut buf);
                    buf.extend_from_slice(b"</t></is></c>");
                }
                duckdb::types::Value::BigInt(i) => {
                    buf.extend_from_slice(b"<c s=\"4\"><v>");
                    buf.extend_from_slice(i.to_string().as_bytes());
                    buf.extend_from_slice(b"</v></c>");
                }
                duckdb::types::Value::Int(i) => {
                    buf.extend_from_slice(b"<c s=\"4\"><v>");
                    buf.extend_from_slice(i.to_string().as_bytes());
                    buf.extend_from_slice(b"</v></c>");
                }
                _ => {
                    buf.extend_from_slice(b"<c s=\"3\"/>");
                }
            }
        }
        buf.extend_from_slice(b"</row>");
        if buf.len() > (1 << 20) {
            zip.write_all(&buf).unwrap();
            buf.clear();
        }
        r += 1;
        n += 1;
    }
    zip.write_all(&buf).unwrap();
    zip.finish().unwrap();
    println!(
        "{n} rows level {level}: {:?}, {} bytes",
        t0.elapsed(),
        std::fs::metadata("/tmp/proto/a.xlsx").unwrap().len()
    );
}
