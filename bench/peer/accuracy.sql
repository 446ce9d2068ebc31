-- How far each side of bench/compare.sh is from the synthetic month's truth: for every
-- metric of coverage_by_district, the largest and the summed absolute difference from
-- the true figure over the district × sector rows (city totals left out; a row a side
-- lacks counts as 0). Printed as CSV on stdout.
-- ${truth}: truth/coverage_by_district.csv; ${ours}: coverage's Parquet of
-- coverage_by_district; ${peer}: the peer's coverage_by_district.csv.
CREATE MACRO long_form(t) AS TABLE
UNPIVOT (
    SELECT district_name, sector,
        COLUMNS(lambda c: c IN ('units_in_scope', 'units_with_members', 'units_3plus_formal',
            'units_single_org', 'units_joint_org', 'units_org_covered', 'units_work_covered',
            'org_coverage_rate', 'single_rate', 'work_coverage_rate'))::DOUBLE
    FROM query_table(t)
    WHERE district_name <> '全市'
) ON COLUMNS(* EXCLUDE (district_name, sector)) INTO NAME metric VALUE value;

CREATE TABLE truth AS SELECT * FROM read_csv('${truth}');
CREATE TABLE ours AS SELECT * FROM read_parquet('${ours}');
CREATE TABLE peer AS SELECT * FROM read_csv('${peer}');

COPY (
    SELECT t.metric,
        max(abs(coalesce(o.value, 0) - t.value)) AS ours_max_abs_diff,
        max(abs(coalesce(p.value, 0) - t.value)) AS peer_max_abs_diff,
        sum(abs(coalesce(o.value, 0) - t.value)) AS ours_sum_abs_diff,
        sum(abs(coalesce(p.value, 0) - t.value)) AS peer_sum_abs_diff
    FROM long_form(truth) t
    LEFT JOIN long_form(ours) o USING (district_name, sector, metric)
    LEFT JOIN long_form(peer) p USING (district_name, sector, metric)
    GROUP BY t.metric
    ORDER BY t.metric
) TO '/dev/stdout' (FORMAT csv, HEADER);
