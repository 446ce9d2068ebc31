-- The peer of bench/compare.sh: the coverage figures as an analyst computes them in
-- plain DuckDB SQL — read the exports, deduplicate units by code and exact name, join
-- members and organizations by code and exact name, group by district and sector.
-- ${data}: the month's folder; ${tmp}: the UTF-8 copies made by run.sh, and the output.

-- Units in scope: enterprises (two overlapping district exports), social organizations,
-- law firms; one row per USCC, or per exact name where the code is missing.
CREATE TABLE units AS
WITH raw AS (
    SELECT nullif(upper(trim(统一社会信用代码)), '') AS uscc, 企业名称 AS name, 所属区 AS district,
        'enterprise' AS sector, 登记状态 AS status, 企业类型 AS kind
    FROM read_csv(['${tmp}/enterprises_a.csv', '${tmp}/enterprises_b.csv'],
        all_varchar = true, ignore_errors = true, null_padding = true)
    UNION ALL
    SELECT nullif(upper(trim(统一社会信用代码)), ''), 社会组织名称, 所在区, 'social_org', 登记状态, 社会组织类型
    FROM read_csv('${tmp}/social_orgs.csv', all_varchar = true, ignore_errors = true)
    UNION ALL
    SELECT nullif(upper(trim(统一社会信用代码)), ''), 律师事务所名称, 所在区, 'social_org', 执业状态, '律师事务所'
    FROM read_csv('${data}/law_firms.csv', all_varchar = true, ignore_errors = true)
)
SELECT DISTINCT ON (coalesce(uscc, name)) coalesce(uscc, name) AS unit_key, *
FROM raw
WHERE status IN ('存续', '在业', '清算', '正常', '执业')
  AND kind NOT IN ('个体工商户', '有限责任公司(国有独资)', '集体所有制')
ORDER BY unit_key, district;

CREATE TABLE orgs AS
SELECT 党组织编码 AS org_id, 党组织类别 AS level, 组建方式 AS formation,
    nullif(upper(trim(所在单位统一社会信用代码)), '') AS host_uscc, 所在单位名称 AS host_name
FROM read_csv('${data}/party_orgs.csv', all_varchar = true, ignore_errors = true)
WHERE 状态 = '正常' AND 党组织类别 <> '党小组';


-- Members in normal standing, each to the unit its employer code names, else to the
-- unit of its employer's exact name.
CREATE TABLE member_units AS
WITH m AS (
    SELECT row_number() OVER () AS rid, nullif(upper(trim(工作单位统一社会信用代码)), '') AS code,
        工作单位 AS employer, 人员类别 AS category
    FROM read_csv('${data}/members.csv', all_varchar = true, ignore_errors = true)
    WHERE 党籍状态 = '正常' AND 人员类别 IN ('正式党员', '预备党员')
),
by_code AS (
    SELECT m.rid, any_value(u.unit_key) AS unit_key FROM m JOIN units u ON u.uscc = m.code GROUP BY m.rid
),
by_name AS (
    SELECT m.rid, any_value(u.unit_key) AS unit_key FROM m JOIN units u ON u.name = m.employer GROUP BY m.rid
)
SELECT coalesce(c.unit_key, n.unit_key) AS unit_key,
    count(*) FILTER (WHERE m.category = '正式党员') AS formal,
    count(*) AS members
FROM m LEFT JOIN by_code c USING (rid) LEFT JOIN by_name n USING (rid)
WHERE coalesce(c.unit_key, n.unit_key) IS NOT NULL
GROUP BY 1;

-- Organizations to the unit that hosts them: by the host's code, else its exact name.
CREATE TABLE org_units AS
SELECT o.formation, u.unit_key FROM orgs o JOIN units u ON u.uscc = o.host_uscc
UNION ALL
SELECT o.formation, u.unit_key FROM orgs o JOIN units u ON u.name = o.host_name
WHERE o.host_uscc IS NULL;

CREATE TABLE single_units AS
SELECT DISTINCT unit_key FROM org_units WHERE formation = '单独组建';

CREATE TABLE functional_units AS
SELECT DISTINCT unit_key FROM org_units WHERE formation = '功能型';

CREATE TABLE joint_units AS
WITH j AS (
    SELECT 联合党组织编码 AS org_id, nullif(upper(trim(覆盖单位统一社会信用代码)), '') AS code,
        覆盖单位名称 AS unit_name
    FROM read_csv('${data}/joint_coverage.csv', all_varchar = true, ignore_errors = true)
    WHERE org_id IN (SELECT org_id FROM orgs WHERE formation IN ('联合组建', '挂靠组建'))
)
SELECT DISTINCT u.unit_key FROM j JOIN units u ON u.uscc = j.code
UNION
SELECT DISTINCT u.unit_key FROM j JOIN units u ON u.name = j.unit_name WHERE j.code IS NULL;

CREATE TABLE ledger_units AS
SELECT DISTINCT u.unit_key
FROM read_csv('${data}/ledger.csv', all_varchar = true, ignore_errors = true) l
JOIN units u ON u.uscc = upper(trim(l.统一社会信用代码))
WHERE l.党建工作指导员 = '是' OR l.工会 = '已建' OR l.团组织 = '是';

CREATE TABLE status AS
SELECT u.district, u.sector,
    coalesce(m.members, 0) > 0 AS has_members,
    coalesce(m.formal, 0) >= 3 AS formal_3plus,
    s.unit_key IS NOT NULL AS single,
    s.unit_key IS NULL AND j.unit_key IS NOT NULL AS joint,
    f.unit_key IS NOT NULL OR l.unit_key IS NOT NULL AS other_work
FROM units u
LEFT JOIN member_units m USING (unit_key)
LEFT JOIN single_units s USING (unit_key)
LEFT JOIN joint_units j USING (unit_key)
LEFT JOIN functional_units f USING (unit_key)
LEFT JOIN ledger_units l USING (unit_key);

COPY (
    SELECT district AS district_name, sector,
        count(*) AS units_in_scope,
        count(*) FILTER (WHERE has_members) AS units_with_members,
        count(*) FILTER (WHERE formal_3plus) AS units_3plus_formal,
        count(*) FILTER (WHERE single) AS units_single_org,
        count(*) FILTER (WHERE joint) AS units_joint_org,
        count(*) FILTER (WHERE single OR joint) AS units_org_covered,
        count(*) FILTER (WHERE single OR joint OR other_work) AS units_work_covered,
        count(*) FILTER (WHERE single OR joint) / count(*) AS org_coverage_rate,
        count(*) FILTER (WHERE single) / count(*) AS single_rate,
        count(*) FILTER (WHERE single OR joint OR other_work) / count(*) AS work_coverage_rate
    FROM status
    GROUP BY ALL
    ORDER BY ALL
) TO '${tmp}/coverage_by_district.csv' (HEADER);
