//! Where a report's rows go: a sheet streamed from its query into the city's workbook
//! (and CSV copy) and, for a sheet of units or districts, into the same sheet of each
//! row's district pack, each destination with its own parts and column widths.

use super::*;

/// A workbook being written and, where its report has one, its CSV copy.
struct Target {
    book: Book,
    csv: Option<(csv::Writer<std::io::BufWriter<std::fs::File>>, PathBuf)>,
}

impl Target {
    fn create(dir: &Path, file: &str, csv: bool) -> Result<Target> {
        let book = Book::create(&dir.join(format!("{file}.xlsx")))?;
        let csv = if csv {
            let path = dir.join(format!("{file}.csv"));
            let out = |e: std::io::Error| Error::output(&path, e);
            let mut sink = std::fs::File::create(&path)
                .map(std::io::BufWriter::new)
                .map_err(out)?;
            sink.write_all(b"\xEF\xBB\xBF").map_err(out)?;
            Some((csv::Writer::from_writer(sink), path))
        } else {
            None
        };
        Ok(Target { book, csv })
    }

    fn dest(&mut self) -> Dest<'_> {
        Dest {
            book: &mut self.book,
            csv: self
                .csv
                .as_mut()
                .map(|(writer, path)| CsvCopy { writer, path }),
        }
    }

    /// Finishes the workbook and the CSV copy; their paths.
    fn finish(self, dir: &Path, file: &str) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        if let Some((mut w, path)) = self.csv {
            w.flush().map_err(|e| Error::output(&path, e))?;
            written.push(path);
        }
        self.book.finish()?;
        written.push(dir.join(format!("{file}.xlsx")));
        Ok(written)
    }
}

/// One report: the city's workbook (and CSV copy) in `dir`, and, where some sheet's rows
/// go to the districts, each district's in its pack (`packs`: code and folder), with
/// those sheets only. Returns the files written.
pub(super) fn write_report(
    conn: &Connection,
    dir: &Path,
    packs: &[(String, PathBuf)],
    report: &Report,
) -> Result<Vec<PathBuf>> {
    let routed = report.sheets.iter().any(|s| s.by_district);
    let mut targets = vec![Target::create(dir, &report.file, report.csv)?];
    let mut index = crate::FastMap::default();
    for (code, pack) in packs.iter().filter(|_| routed) {
        index.insert(code.clone(), targets.len());
        targets.push(Target::create(pack, &report.file, report.csv)?);
    }
    for sheet in &report.sheets {
        let takers = if sheet.by_district { targets.len() } else { 1 };
        let mut dests: Vec<Dest> = targets[..takers].iter_mut().map(Target::dest).collect();
        let route = sheet.by_district.then_some(&index);
        write_sheet(conn, sheet, &mut dests, route, EXCEL_ROWS)?;
    }
    let mut written = Vec::new();
    let dirs = std::iter::once(dir).chain(packs.iter().map(|(_, p)| p.as_path()));
    for (target, d) in targets.into_iter().zip(dirs) {
        written.extend(target.finish(d, &report.file)?);
    }
    Ok(written)
}

/// Where a sheet's rows are written: a workbook and, where it has one, its CSV copy.
struct Dest<'a> {
    book: &'a mut Book,
    csv: Option<CsvCopy<'a>>,
}

/// The CSV copy of a report, written as its rows arrive.
pub(super) struct CsvCopy<'a> {
    pub(super) writer: &'a mut csv::Writer<std::io::BufWriter<std::fs::File>>,
    pub(super) path: &'a Path,
}

impl CsvCopy<'_> {
    fn record<I: AsRef<[u8]>>(&mut self, cells: impl IntoIterator<Item = I>) -> Result<()> {
        self.writer
            .write_record(cells)
            .map_err(|e| Error::output(self.path, e))
    }
}

/// One sheet of a report into one workbook (and CSV copy): see `write_sheet`.
pub(super) fn write_query_sheet(
    conn: &Connection,
    book: &mut Book,
    sheet: &Sheet,
    csv: Option<&mut CsvCopy>,
    max_rows: u32,
) -> Result<()> {
    let csv = csv.map(|c| CsvCopy {
        writer: &mut *c.writer,
        path: c.path,
    });
    write_sheet(conn, sheet, &mut [Dest { book, csv }], None, max_rows)
}

/// One sheet of a report, streamed from its query: the title and header rows, then
/// each row as DuckDB returns it, into the worksheet and, where the report has one, its
/// CSV copy (two-level headers joined with `-`, rates as percentages with one decimal).
/// Every row goes to `dests[0]`; with `route` (district code → index in `dests`), also
/// to the destination of the row's district, the query's last column. Each column is
/// as wide as its widest value or header word in that destination (up to MAX_WIDTH,
/// beyond which text wraps), set on every part once all rows are in.
fn write_sheet(
    conn: &Connection,
    sheet: &Sheet,
    dests: &mut [Dest],
    route: Option<&crate::FastMap<String, usize>>,
    max_rows: u32,
) -> Result<()> {
    let mut stmt = conn.prepare(&sheet.sql).db("report query")?;
    let mut rows = stmt.query([]).db("report query")?;
    let mut headers: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
    if route.is_some() && headers.pop().as_deref() != Some(ROW_DISTRICT) {
        return Err(Error::Internal(format!(
            "the query of sheet {} does not end with its rows' district",
            sheet.name
        )));
    }
    let rates: Vec<bool> = headers.iter().map(|h| is_rate(h)).collect();
    let mut outs = Vec::with_capacity(dests.len());
    for dest in dests.iter_mut() {
        outs.push(SheetOut::start(dest, sheet, &headers)?);
    }
    let mut values: Vec<Value> = Vec::with_capacity(headers.len());
    let mut widths: Vec<usize> = Vec::with_capacity(headers.len());
    while let Some(row) = rows.next().db("report query")? {
        values.clear();
        for c in 0..headers.len() {
            values.push(shown(row.get::<_, Value>(c).db("report query")?));
        }
        let district = match route {
            Some(index) => row
                .get::<_, Option<String>>(headers.len())
                .db("report query")?
                .and_then(|d| index.get(&d).copied()),
            None => None,
        };
        let mut cells = Vec::with_capacity(values.len());
        widths.clear();
        for (c, v) in values.iter().enumerate() {
            let (cell, shown) = cell(v, rates[c]);
            cells.push(cell);
            widths.push(shown);
        }
        // Text wider than MAX_WIDTH wraps (a column is never narrower than its widest
        // value up to that): the row is made tall enough, as spreadsheet programs do
        // not all fit row heights to wrapped text when they open a file.
        let lines = widths
            .iter()
            .max()
            .copied()
            .unwrap_or(0)
            .div_ceil(MAX_WIDTH);
        let height = (lines > 1).then_some(15.0 * lines as f64);
        for i in std::iter::once(0).chain(district) {
            let row = DataRow {
                cells: &cells,
                widths: &widths,
                height,
                values: &values,
                rates: &rates,
            };
            outs[i].row(&mut dests[i], sheet, &headers, row, max_rows)?;
        }
    }
    for (out, dest) in outs.into_iter().zip(dests.iter_mut()) {
        out.finish(dest.book)?;
    }
    Ok(())
}

/// A data row of a sheet as each destination writes it.
struct DataRow<'a> {
    cells: &'a [Cell<'a>],
    widths: &'a [usize],
    height: Option<f64>,
    values: &'a [Value],
    rates: &'a [bool],
}

/// A sheet as one destination has it so far: its parts (a sheet holds at most max_rows
/// rows) and its columns' widths.
struct SheetOut {
    parts: Vec<book::Sheet>,
    widths: Vec<usize>,
}

impl SheetOut {
    fn start(dest: &mut Dest, sheet: &Sheet, headers: &[String]) -> Result<SheetOut> {
        if let Some(w) = dest.csv.as_mut() {
            w.record(headers.iter().map(|h| match split(h) {
                (g, "") => g.to_string(),
                (g, s) => format!("{g}-{s}"),
            }))?;
        }
        Ok(SheetOut {
            parts: vec![start_part(dest.book, sheet, 1, headers)?],
            widths: headers.iter().map(|h| header_width(h)).collect(),
        })
    }

    fn row(
        &mut self,
        dest: &mut Dest,
        sheet: &Sheet,
        headers: &[String],
        row: DataRow,
        max_rows: u32,
    ) -> Result<()> {
        // A province's list goes on in a sheet of the same name with its part number,
        // under the same headers.
        if self.parts.last().is_some_and(|ws| ws.rows() == max_rows) {
            let next = start_part(dest.book, sheet, self.parts.len() + 1, headers)?;
            self.parts.push(next);
        }
        for (w, &shown) in self.widths.iter_mut().zip(row.widths) {
            *w = (*w).max(shown);
        }
        let ws = self.parts.last_mut().expect("a part");
        ws.row(row.cells, row.height)?;
        if let Some(w) = dest.csv.as_mut() {
            w.record(
                row.values
                    .iter()
                    .zip(row.rates)
                    .map(|(v, &rate)| csv_cell(v, rate)),
            )?;
        }
        Ok(())
    }

    fn finish(self, book: &mut Book) -> Result<()> {
        let widths: Vec<f64> = self
            .widths
            .iter()
            .map(|w| (*w).min(MAX_WIDTH) as f64 + 2.0)
            .collect();
        for ws in self.parts {
            book.add(ws, &widths)?;
        }
        Ok(())
    }
}
