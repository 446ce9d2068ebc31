-- unit_changes: what changed for each unit since the previous period present in the
-- output folder, one row per unit and change.
-- columns:
--   before, after  the value then and now, where the change has one (below)
--   change  what changed, one of:
--     new / gone                unit present now and not then / then and not now
--     moved_district            before / after = district codes
--     scope_in / scope_out      in scope now and not then / then and not now
--     form_changed              before / after = organization forms (single, joint,
--                               functional, none)
--     members_3plus_reached / members_3plus_lost   3+ formal members now / then only
--     instructor_assigned / instructor_removed     党建工作指导员 now / then only
--     renamed                   the unit carries a name (in normal form) that none of its
--                               records carried then; before = the name then, after = the
--                               name now (the new name's normal form where the
--                               representative record still has the old one). 有限责任公司
--                               written for 有限公司 is no rename, nor is an old name that
--                               one export still carried last month and no longer does.
-- district_code and sector are the unit's now (for gone: then). Units are matched by
-- unit_id, which the id registry keeps stable across months.
-- Scope: every unit of either period, in scope or not. Empty for the first period.
-- depends: previous_period, previous_unit_status, unit_status
-- output: table
CREATE TABLE unit_changes AS
WITH cur AS (SELECT * FROM unit_status),
prev AS (SELECT * FROM previous_unit_status),
both_periods AS (
    SELECT c.unit_id, c.district_code, c.sector,
        p.district_code AS p_district, p.in_scope AS p_in_scope, p.org_form AS p_form,
        p.formal_3plus AS p_3plus, p.has_instructor AS p_instructor, p.name AS p_name,
        c.in_scope, c.org_form, c.formal_3plus, c.has_instructor, c.name, c.name_key,
        list_filter(string_split(c.name_keys, ';'), lambda k: NOT list_contains(string_split(p.name_keys, ';'), k))
            AS new_keys
    FROM cur c JOIN prev p USING (unit_id)
),
changes AS (
    SELECT unit_id, district_code, sector, 'new' AS change, NULL AS before, name AS after
    FROM cur WHERE unit_id NOT IN (SELECT unit_id FROM prev)
    UNION ALL
    SELECT unit_id, district_code, sector, 'gone', name, NULL
    FROM prev WHERE unit_id NOT IN (SELECT unit_id FROM cur)
    UNION ALL
    -- One select a change kind over the units of both periods (an UNNEST of the kinds
    -- per unit took ten times as long).
    SELECT unit_id, district_code, sector, 'moved_district', p_district, district_code
    FROM both_periods WHERE p_district IS DISTINCT FROM district_code
    UNION ALL
    SELECT unit_id, district_code, sector, 'scope_in', NULL, NULL
    FROM both_periods WHERE in_scope AND NOT p_in_scope
    UNION ALL
    SELECT unit_id, district_code, sector, 'scope_out', NULL, NULL
    FROM both_periods WHERE p_in_scope AND NOT in_scope
    UNION ALL
    SELECT unit_id, district_code, sector, 'form_changed', p_form, org_form
    FROM both_periods WHERE p_form IS DISTINCT FROM org_form
    UNION ALL
    SELECT unit_id, district_code, sector, 'members_3plus_reached', NULL, NULL
    FROM both_periods WHERE formal_3plus AND NOT p_3plus
    UNION ALL
    SELECT unit_id, district_code, sector, 'members_3plus_lost', NULL, NULL
    FROM both_periods WHERE p_3plus AND NOT formal_3plus
    UNION ALL
    SELECT unit_id, district_code, sector, 'instructor_assigned', NULL, NULL
    FROM both_periods WHERE has_instructor AND NOT p_instructor
    UNION ALL
    SELECT unit_id, district_code, sector, 'instructor_removed', NULL, NULL
    FROM both_periods WHERE p_instructor AND NOT has_instructor
    UNION ALL
    SELECT unit_id, district_code, sector, 'renamed', p_name,
        CASE WHEN list_contains(new_keys, name_key) THEN name ELSE new_keys[1] END
    FROM both_periods WHERE len(new_keys) > 0
)
SELECT (SELECT DISTINCT period FROM unit_status) AS period, c.*
FROM changes c
WHERE EXISTS (SELECT 1 FROM previous_period)
ORDER BY c.district_code, c.sector, c.change, c.unit_id;
