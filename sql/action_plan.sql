-- action_plan (一企一策 / 一社一策): for every in-scope unit without organization coverage
-- (org_covered = false), the recommended route and the "five clears" (五个清) filled
-- from the data. Scope: in-scope units of both sectors; one row per unit.
--
-- columns:
--   plan_type  一企一策 for an enterprise, 一社一策 for a social organization
--   route  建议路径, the first that applies:
--     单独组建            formal members ≥ settings.formal_members_for_single_org
--     联合组建            1 or more formal members: partner_units suggests up to three
--                         other in-scope units of the same sector and district without an
--                         own organization, sharing the building (best), park or street,
--                         same industry first, then by name; a place offers at most its
--                         first four units by name and its first four of each industry
--     功能型              probationary members only: a functional organization until
--                         there are formal members
--     选派党建工作指导员  no members and no instructor yet
--     发展党员            no members and an instructor already sent
--   partner_units  for 联合组建: the names of up to three units to form the joint
--                  organization with, closest first, '；'-separated
--   also_develop_members  no members and at least
--                  settings.enterprise_employees_need_members employees (enterprises):
--                  the notice wants members there (发展党员) as well
--   clear_operation  五个清 经营运行: status and employees
--   clear_workforce  五个清 职工队伍: employees, union and youth league
--   clear_members  五个清 党员队伍: formal and probationary members
--   clear_owner  五个清 出资人/负责人: in no export, so always 缺失
--   clear_reason  五个清 未建原因: the ledger's reason
--   missing_clears  how many of the five clears the data cannot fill (缺失)
-- Plan (the district's, from its returned work pack; NULL until it writes one): the
--   plan_* columns of plans_in_force().
-- depends: settings, unit_status, label, plans_in_force
-- output: table
CREATE TABLE action_plan AS
WITH uncovered AS (
    SELECT u.*
    FROM unit_status u
    WHERE u.in_scope AND NOT u.org_covered
),
needs_partners AS (
    SELECT * FROM uncovered
    WHERE formal_members >= 1 AND formal_members < (SELECT formal_members_for_single_org FROM settings)
),
eligible AS (
    SELECT unit_id, name, sector, district_code, street, park, building, industry
    FROM unit_status
    WHERE in_scope AND org_form <> 'single'
),
-- A place (building, park or street) can hold thousands of units: each place offers
-- its first four eligible units by name, and its first four of each industry, so that
-- suggesting partners stays linear in the number of units (the first four taken by
-- min_by, which keeps four per group without sorting the place's units).
placed AS (
    SELECT 'building' AS level, building AS place, * EXCLUDE (street, park, building) FROM eligible WHERE building IS NOT NULL
    UNION ALL
    SELECT 'park', park, * EXCLUDE (street, park, building) FROM eligible WHERE park IS NOT NULL
    UNION ALL
    SELECT 'street', street, * EXCLUDE (street, park, building) FROM eligible WHERE street IS NOT NULL
),
offers AS (
    SELECT DISTINCT o.level, o.place, o.unit_id, o.name, o.sector, o.district_code, o.industry
    FROM (
        SELECT unnest(min_by({'level': level, 'place': place, 'unit_id': unit_id, 'name': name,
                              'sector': sector, 'district_code': district_code, 'industry': industry},
                             (name, unit_id), 4)) AS o
        FROM placed
        GROUP BY level, sector, district_code, place
        UNION ALL
        SELECT unnest(min_by({'level': level, 'place': place, 'unit_id': unit_id, 'name': name,
                              'sector': sector, 'district_code': district_code, 'industry': industry},
                             (name, unit_id), 4))
        FROM placed
        GROUP BY level, sector, district_code, place, industry
    )
),
-- A unit's partners depend on its sector, district, places and industry alone, and on
-- the unit itself only where it is offered (it is never its own partner): they are
-- found once per such key, which units of one building or street share.
asking AS (
    SELECT unit_id, sector, district_code, building, park, street, industry,
           CASE WHEN unit_id IN (SELECT unit_id FROM offers) THEN unit_id END AS self
    FROM needs_partners
),
keys AS (
    SELECT DISTINCT sector, district_code, building, park, street, industry, self FROM asking
),
candidates AS (
    SELECT
        k.sector, k.district_code, k.building, k.park, k.street, k.industry, k.self,
        o.name AS partner,
        max(CASE o.level WHEN 'building' THEN 3 WHEN 'park' THEN 2 ELSE 1 END
            + CASE WHEN k.industry = o.industry THEN 0.5 ELSE 0 END) AS closeness
    FROM keys k
    JOIN offers o
      ON o.sector = k.sector
     AND o.district_code = k.district_code
     AND o.unit_id IS DISTINCT FROM k.self
     AND o.place = CASE o.level WHEN 'building' THEN k.building WHEN 'park' THEN k.park ELSE k.street END
    GROUP BY ALL
),
key_partners AS (
    SELECT sector, district_code, building, park, street, industry, self,
           string_agg(partner, '；' ORDER BY closeness DESC, partner) AS partner_units
    FROM (
        SELECT *, row_number() OVER (
            PARTITION BY sector, district_code, building, park, street, industry, self
            ORDER BY closeness DESC, partner) AS rank
        FROM candidates
    )
    WHERE rank <= 3
    GROUP BY ALL
),
partners AS (
    SELECT a.unit_id, k.partner_units
    FROM asking a
    JOIN key_partners k
      ON k.sector = a.sector
     AND k.district_code = a.district_code
     AND k.building IS NOT DISTINCT FROM a.building
     AND k.park IS NOT DISTINCT FROM a.park
     AND k.street IS NOT DISTINCT FROM a.street
     AND k.industry IS NOT DISTINCT FROM a.industry
     AND k.self IS NOT DISTINCT FROM a.self
)
SELECT
    u.period,
    CASE u.sector WHEN 'enterprise' THEN '一企一策' ELSE '一社一策' END AS plan_type,
    u.unit_id, u.name, u.uscc, u.sector, u.unit_kind, u.district_code, u.district_name, u.street,
    u.employees, u.formal_members, u.probationary_members, u.org_form,
    CASE
        WHEN u.formal_members >= s.formal_members_for_single_org THEN '单独组建'
        WHEN u.formal_members >= 1 THEN '联合组建'
        WHEN u.probationary_members >= 1 THEN '功能型'
        WHEN NOT u.has_instructor THEN '选派党建工作指导员'
        ELSE '发展党员'
    END AS route,
    p.partner_units,
    (NOT u.has_members AND u.sector = 'enterprise'
        AND coalesce(u.employees, 0) >= s.enterprise_employees_need_members) AS also_develop_members,
    CASE u.status
        WHEN 'active' THEN '正常经营'
        WHEN 'moved_in' THEN '正常经营（迁入）'
        WHEN 'suspended' THEN '停业'
        WHEN 'liquidation' THEN '清算中'
        ELSE label('status', u.status)
    END || coalesce(format('；职工{}人', u.employees), '；职工人数缺失') AS clear_operation,
    CASE WHEN u.employees IS NULL THEN '缺失'
         ELSE format('职工{}人；{}', u.employees,
                     CASE WHEN u.has_mass_org THEN '已建工会或团组织' ELSE '未建群团组织' END)
    END AS clear_workforce,
    format('正式党员{}名，预备党员{}名', u.formal_members, u.probationary_members) AS clear_members,
    '缺失' AS clear_owner,
    coalesce(u.no_org_reason, '缺失') AS clear_reason,
    (u.employees IS NULL)::INTEGER * 2 + 1 + (u.no_org_reason IS NULL)::INTEGER AS missing_clears,
    pl.plan_measures, pl.plan_schedule, pl.plan_due, pl.plan_owner, pl.plan_progress, pl.plan_note
FROM uncovered u
CROSS JOIN settings s
LEFT JOIN partners p USING (unit_id)
LEFT JOIN plans_in_force() pl USING (unit_id)
ORDER BY u.sector, u.district_code, u.name;
