-- figures_long(t): the figures of a coverage_by_district-shaped table as one row per
-- period × district × sector × metric, value as DOUBLE (counts and rates alike; NULL
-- rates stay as NULL rows). Used by coverage_trend and by district_changes, so that the
-- long form is defined once. rate_denominator is a setting, not a figure.
-- depends: -
-- output: macro
CREATE OR REPLACE MACRO figures_long(t) AS TABLE
SELECT period, district_code, district_name, sector, metric, value
FROM (SELECT * EXCLUDE (rate_denominator) FROM query_table(t))
UNPIVOT INCLUDE NULLS (
    value FOR metric IN (COLUMNS(* EXCLUDE (period, district_code, district_name, sector)))
);
