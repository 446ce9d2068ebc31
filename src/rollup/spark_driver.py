"""The Spark side of `coverage rollup --engine spark` (started by the binary with
spark-submit; not run by hand). It reads a job file written by the binary, registers the
deployments' published Parquet as the views the roll-up's SQL reads, runs each
statement of sql/rollup/ transpiled from DuckDB SQL to Spark SQL by sqlglot (the
definitions are written once, in DuckDB SQL), and writes the output tables as Parquet
for the binary to publish.

    spark-submit --master local[2] spark_driver.py JOB.json
"""
import json
import sys

import sqlglot
from sqlglot import exp
from pyspark.sql import SparkSession
from pyspark.sql.functions import lit

def to_spark(statement):
    """A `CREATE TABLE name AS SELECT …` of DuckDB as (name, the SELECT in Spark SQL)."""
    tree = sqlglot.parse_one(statement, read="duckdb")
    if not isinstance(tree, exp.Create):
        raise SystemExit(f"not a CREATE TABLE … AS: {statement[:80]}")
    name = tree.this.name if isinstance(tree.this, exp.Table) else tree.this.this.name
    return name, tree.expression.sql(dialect="spark")


def main(job_path):
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    spark = (SparkSession.builder.appName("coverage rollup")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    units = None
    districts = None
    for i, deployment in enumerate(job["inputs"]):
        u = (spark.read.parquet(deployment["unit_status"]).where("in_scope")
             .selectExpr(f"{i} AS deployment", *job["unit_columns"]))
        d = (spark.read.parquet(deployment["coverage_by_district"])
             .selectExpr(f"{i} AS deployment", "district_code", "district_name")
             .withColumn("city_code", lit(deployment["city_code"])))
        units = u if units is None else units.unionByName(u)
        districts = d if districts is None else districts.unionByName(d)
    units.createOrReplaceTempView("deployment_units")
    districts.createOrReplaceTempView("deployment_districts")
    for statement in job["statements"]:
        name, select = to_spark(statement)
        # Each table once, however many later statements read it.
        spark.sql(select).cache().createOrReplaceTempView(name)
    for table in job["outputs"]:
        (spark.table(table).coalesce(1).write.mode("overwrite")
         .parquet(f"{job['out']}/{table}"))
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
