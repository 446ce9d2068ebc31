//! A stage table declared once, as data: its name and, for each column, the name, the
//! Arrow type and how the value is got from one row of the stage. The declaration is
//! the Arrow schema of the table, the DDL DuckDB creates it with, and the code that
//! fills its record batches — so a column is never listed twice, and a row can never
//! have the wrong width. It also says what the table and each column mean (`describe`,
//! `about`; src/dictionary.rs for the columns many tables share), which the table
//! carries as its DuckDB comments.

use std::borrow::Cow;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder,
    StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use duckdb::Connection;

use crate::calendar::days_of_iso_date;
use crate::error::{DbContext, Error, Result};
use crate::model::Lineage;

type Getter<'a, R, T> = Box<dyn Fn(R) -> Option<T> + 'a>;

/// How a column's value comes out of a row.
enum Get<'a, R> {
    Text(Getter<'a, R, Cow<'a, str>>),
    Int(Getter<'a, R, i64>),
    Float(Getter<'a, R, f64>),
    Bool(Getter<'a, R, bool>),
    /// Days since 1970-01-01.
    Date(Getter<'a, R, i32>),
    /// Unscaled value of a DECIMAL(precision, scale).
    Decimal(Getter<'a, R, i128>),
}

struct Column<'a, R> {
    field: Field,
    get: Get<'a, R>,
    about: Option<String>,
}

/// Rows are appended in batches of this many: a batch is built, handed over, dropped.
const BATCH_ROWS: usize = 65_536;

/// A table of the run's database whose rows are values of `R` (a reference, or a tuple
/// of references, into the stage that made them). Every table has the run's period as
/// its first column.
pub struct Table<'a, R> {
    pub name: &'static str,
    /// Published as Parquet and into coverage.duckdb (the default), or only an input of
    /// the SQL definitions.
    pub published: bool,
    /// What a row is (the table's comment).
    about: String,
    columns: Vec<Column<'a, R>>,
}

impl<'a, R: Copy + 'a> Table<'a, R> {
    pub fn new(name: &'static str) -> Self {
        Table {
            name,
            published: true,
            about: String::new(),
            columns: Vec::new(),
        }
    }

    /// What the table holds, one row being what.
    pub fn describe(mut self, about: impl Into<String>) -> Self {
        self.about = about.into();
        self
    }

    /// What the column declared last means, where src/dictionary.rs does not say it
    /// for every table (or says it otherwise than this table means it).
    pub fn about(mut self, about: impl Into<String>) -> Self {
        self.columns
            .last_mut()
            .expect("about() follows the column it describes")
            .about = Some(about.into());
        self
    }

    /// Read by the SQL definitions, not published.
    pub fn internal(mut self) -> Self {
        self.published = false;
        self
    }

    fn column(mut self, name: &str, data_type: DataType, nullable: bool, get: Get<'a, R>) -> Self {
        self.columns.push(Column {
            field: Field::new(name, data_type, nullable),
            get,
            about: None,
        });
        self
    }

    /// A text that every row has.
    pub fn text(self, name: &str, f: impl Fn(R) -> &'a str + 'a) -> Self {
        let get = Get::Text(Box::new(move |r| Some(Cow::Borrowed(f(r)))));
        self.column(name, DataType::Utf8, false, get)
    }

    pub fn opt_text(self, name: &str, f: impl Fn(R) -> Option<&'a str> + 'a) -> Self {
        let get = Get::Text(Box::new(move |r| f(r).map(Cow::Borrowed)));
        self.column(name, DataType::Utf8, true, get)
    }

    /// A text every row has, as a value shows itself (a pseudonym held as bytes).
    pub fn shown<T: std::fmt::Display>(self, name: &str, f: impl Fn(R) -> T + 'a) -> Self {
        let get = Get::Text(Box::new(move |r| Some(Cow::Owned(f(r).to_string()))));
        self.column(name, DataType::Utf8, false, get)
    }

    /// A text made for the table (e.g. a list joined by `;`).
    pub fn made_text(self, name: &str, f: impl Fn(R) -> Option<String> + 'a) -> Self {
        let get = Get::Text(Box::new(move |r| f(r).map(Cow::Owned)));
        self.column(name, DataType::Utf8, true, get)
    }

    pub fn int(self, name: &str, f: impl Fn(R) -> i64 + 'a) -> Self {
        self.column(
            name,
            DataType::Int64,
            false,
            Get::Int(Box::new(move |r| Some(f(r)))),
        )
    }

    pub fn opt_int(self, name: &str, f: impl Fn(R) -> Option<i64> + 'a) -> Self {
        self.column(name, DataType::Int64, true, Get::Int(Box::new(f)))
    }

    pub fn float(self, name: &str, f: impl Fn(R) -> Option<f64> + 'a) -> Self {
        self.column(name, DataType::Float64, true, Get::Float(Box::new(f)))
    }

    pub fn boolean(self, name: &str, f: impl Fn(R) -> bool + 'a) -> Self {
        let get = Get::Bool(Box::new(move |r| Some(f(r))));
        self.column(name, DataType::Boolean, false, get)
    }

    /// A `YYYY-MM-DD` text as a DATE.
    pub fn date(self, name: &str, f: impl Fn(R) -> Option<&'a str> + 'a) -> Self {
        let get = Get::Date(Box::new(move |r| {
            f(r).and_then(days_of_iso_date).map(|d| d as i32)
        }));
        self.column(name, DataType::Date32, true, get)
    }

    /// A fraction as DECIMAL(9, 4): 0.4 is exactly 0.4000, so ceil(0.4 × 15) is 6.
    pub fn fraction(self, name: &str, f: impl Fn(R) -> f64 + 'a) -> Self {
        let get = Get::Decimal(Box::new(move |r| Some((f(r) * 10_000.0).round() as i128)));
        self.column(name, DataType::Decimal128(9, 4), false, get)
    }

    /// The three lineage columns: source, source_file, source_row.
    pub fn lineage(self, f: impl Fn(R) -> &'a Lineage + Copy + 'a) -> Self {
        self.text("source", move |r| f(r).source())
            .text("source_file", move |r| f(r).file())
            .int("source_row", move |r| f(r).row as i64)
    }

    pub fn schema(&self) -> SchemaRef {
        let period = Field::new("period", DataType::Utf8, false);
        let fields: Vec<Field> = std::iter::once(period)
            .chain(self.columns.iter().map(|c| c.field.clone()))
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// `CREATE TABLE` from the schema.
    fn ddl(&self) -> String {
        let columns: Vec<String> = self
            .schema()
            .fields()
            .iter()
            .map(|f| {
                let sql_type = match f.data_type() {
                    DataType::Utf8 => "VARCHAR".to_string(),
                    DataType::Int64 => "BIGINT".into(),
                    DataType::Float64 => "DOUBLE".into(),
                    DataType::Boolean => "BOOLEAN".into(),
                    DataType::Date32 => "DATE".into(),
                    DataType::Decimal128(p, s) => format!("DECIMAL({p},{s})"),
                    other => unreachable!("no stage column is declared as {other}"),
                };
                let null = if f.is_nullable() { "" } else { " NOT NULL" };
                format!("{} {sql_type}{null}", f.name())
            })
            .collect();
        format!("CREATE TABLE {} ({});", self.name, columns.join(", "))
    }

    /// The table's and its columns' comments: each column's own description, else the
    /// dictionary's.
    fn comments(&self) -> String {
        let columns = std::iter::once(("period", None)).chain(
            self.columns
                .iter()
                .map(|c| (c.field.name().as_str(), c.about.clone())),
        );
        crate::dictionary::comment_sql("TABLE", self.name, &self.about, columns)
    }

    /// One record batch of `rows`.
    pub fn batch(&self, period: &str, rows: &[R]) -> Result<RecordBatch> {
        let n = rows.len();
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.columns.len() + 1);
        let mut periods = StringBuilder::with_capacity(n, n * period.len());
        (0..n).for_each(|_| periods.append_value(period));
        arrays.push(Arc::new(periods.finish()));
        for c in &self.columns {
            arrays.push(match &c.get {
                Get::Text(f) => {
                    let mut b = StringBuilder::with_capacity(n, n * 8);
                    rows.iter().for_each(|r| b.append_option(f(*r)));
                    Arc::new(b.finish())
                }
                Get::Int(f) => build(Int64Builder::with_capacity(n), rows, f),
                Get::Float(f) => build(Float64Builder::with_capacity(n), rows, f),
                Get::Bool(f) => build(BooleanBuilder::with_capacity(n), rows, f),
                Get::Date(f) => build(Date32Builder::with_capacity(n), rows, f),
                Get::Decimal(f) => {
                    let mut b = Decimal128Builder::with_capacity(n);
                    rows.iter().for_each(|r| b.append_option(f(*r)));
                    let DataType::Decimal128(p, s) = c.field.data_type() else {
                        unreachable!("a decimal column is declared as one")
                    };
                    let array = b.finish().with_precision_and_scale(*p, *s);
                    Arc::new(array.map_err(|e| self.arrow_error(e))?)
                }
            });
        }
        RecordBatch::try_new(self.schema(), arrays).map_err(|e| self.arrow_error(e))
    }

    fn arrow_error(&self, e: impl std::fmt::Display) -> Error {
        Error::Internal(format!("table {}: {e}", self.name))
    }

    /// Creates the table in `conn` and appends `rows` to it as record batches; returns
    /// its name if it is to be published.
    pub fn load(
        &self,
        conn: &Connection,
        period: &str,
        rows: impl IntoIterator<Item = R>,
    ) -> Result<Option<&'static str>> {
        let context = format!("load {}", self.name);
        conn.execute_batch(&self.ddl()).db(&context)?;
        conn.execute_batch(&self.comments()).db(&context)?;
        let mut appender = conn.appender(self.name).db(&context)?;
        let mut chunk = Vec::with_capacity(BATCH_ROWS);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            chunk.clear();
            chunk.extend(rows.by_ref().take(BATCH_ROWS));
            appender
                .append_record_batch(self.batch(period, &chunk)?)
                .db(&context)?;
        }
        appender.flush().db(&context)?;
        Ok(self.published.then_some(self.name))
    }
}

/// A primitive column: one builder, one value per row.
fn build<R: Copy, T, B>(mut builder: B, rows: &[R], f: &dyn Fn(R) -> Option<T>) -> ArrayRef
where
    B: arrow::array::ArrayBuilder + Extend<Option<T>>,
{
    builder.extend(rows.iter().map(|r| f(*r)));
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first column of every row of `sql`, as text.
    fn strings(conn: &duckdb::Connection, sql: &str) -> Vec<String> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    struct Thing {
        name: String,
        size: Option<i64>,
        day: Option<String>,
    }

    /// The declaration is the schema DuckDB creates: names, types and NULLs as declared.
    #[test]
    fn a_declared_table_loads_with_its_declared_columns_and_types() {
        let things = [
            Thing {
                name: "甲".into(),
                size: Some(3),
                day: Some("2026-11-01".into()),
            },
            Thing {
                name: "乙".into(),
                size: None,
                day: None,
            },
        ];
        let table = Table::new("things")
            .text("name", |t: &Thing| &t.name)
            .opt_int("size", |t: &Thing| t.size)
            .date("day", |t: &Thing| t.day.as_deref())
            .fraction("rate", |_| 0.4)
            .boolean("big", |t: &Thing| t.size.unwrap_or(0) > 2);
        let conn = crate::database::open(None).unwrap();
        table.load(&conn, "2026-11", things.iter()).unwrap();
        let described = strings(
            &conn,
            "SELECT column_name || ' ' || column_type || ' ' || \"null\" FROM (DESCRIBE things)",
        );
        assert_eq!(
            described,
            [
                "period VARCHAR NO",
                "name VARCHAR NO",
                "size BIGINT YES",
                "day DATE YES",
                "rate DECIMAL(9,4) NO",
                "big BOOLEAN NO"
            ]
        );
        let rows = strings(
            &conn,
            "SELECT concat_ws('|', period, name, coalesce(size::VARCHAR, 'NULL'), coalesce(day::VARCHAR, 'NULL'), rate, big) FROM things ORDER BY name DESC",
        );
        assert_eq!(
            rows,
            [
                "2026-11|甲|3|2026-11-01|0.4000|true",
                "2026-11|乙|NULL|NULL|0.4000|false"
            ]
        );
    }

    #[test]
    fn more_rows_than_a_batch_arrive_whole() {
        let n: Vec<i64> = (0..(BATCH_ROWS as i64 * 2 + 7)).collect();
        let table = Table::new("numbers").int("n", |x: &i64| *x);
        let conn = crate::database::open(None).unwrap();
        table.load(&conn, "2026-11", n.iter()).unwrap();
        let (count, sum): (i64, i64) = conn
            .query_row("SELECT count(*), sum(n)::BIGINT FROM numbers", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((count, sum), (n.len() as i64, n.iter().sum::<i64>()));
    }
}
