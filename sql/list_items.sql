-- list_items (跟踪验收销号台账): every item the unit lists of compliance_lists have ever
-- held — one row per list, unit and district for each time the unit was put on that
-- list — as it stands in the period: open (closed_period NULL) or closed, and why.
-- An item opens in the first period a list names the unit in that district, and is
-- carried from the previous period present in the output folder (previous_list_items)
-- while the list still names it. It closes in the first period the list does not, for
-- the first close_reason (src/vocabulary.rs CloseReason) that applies (below).
-- columns:
--   opened_period  the period the item opened (the list first named the unit there)
--   closed_period  the period it closed; NULL while open
--   months_open  calendar months from opened_period to closed_period (that month not
--                counted), or to the period (counted)
-- Close reasons, the first that applies:
--   absent           the period's exports hold no record of the unit
--   deregistered, revoked, moved_out   its status (注销, 吊销, 迁出) — corrected where
--                    the district's correction set that status (corrected_fields)
--   moved_district   it is now in another district (corrected where the district's
--                    correction moved it); the item there opens anew if listed there
--   out_of_scope     out of scope for another reason (out_of_scope_reason)
--   covered          it meets what the list asks: met_by (sql/list_met_by.sql)
--   corrected        its staff count is the district's correction and changed since
--                    the previous period
--   below_threshold  otherwise: it no longer reaches the list's threshold or kind
-- A unit listed again later opens a new item.
-- Plan fields: the district's 一企一策 in force (plans_in_force()).
-- Scope: every unit list item, open or closed; no numerator or denominator.
-- The first period of a folder opens every listed unit. Rerunning a period recomputes
-- the periods after it (src/changes.rs).
-- depends: compliance_lists, list_met_by, plans_in_force, previous_list_items, previous_unit_status, unit_status
-- output: table
CREATE TABLE list_items AS
WITH cur AS (SELECT DISTINCT period FROM unit_status),
listed AS (
    SELECT list, list_name, unit_id, name, uscc, sector, district_code, district_name
    FROM compliance_lists
),
was_open AS (
    SELECT * EXCLUDE (period) FROM previous_list_items WHERE closed_period IS NULL
),
still_open AS (
    SELECT l.*, o.opened_period, NULL AS closed_period, NULL AS close_reason, NULL AS met_by
    FROM listed l
    JOIN was_open o USING (list, unit_id, district_code)
),
opened AS (
    SELECT l.*, (SELECT period FROM cur) AS opened_period, NULL AS closed_period,
        NULL AS close_reason, NULL AS met_by
    FROM listed l
    ANTI JOIN was_open o USING (list, unit_id, district_code)
),
closing AS (
    SELECT o.list, o.list_name, o.unit_id, coalesce(u.name, o.name) AS name,
        coalesce(u.uscc, o.uscc) AS uscc, o.sector, o.district_code, o.district_name,
        o.opened_period, u.unit_id IS NULL AS absent, u.status, u.in_scope,
        u.district_code IS DISTINCT FROM o.district_code AS moved,
        list_contains(string_split(coalesce(u.corrected_fields, ''), ';'), 'status') AS status_corrected,
        list_contains(string_split(coalesce(u.corrected_fields, ''), ';'), 'district') AS district_corrected,
        u.employees_source = 'feedback' AND u.employees IS DISTINCT FROM p.employees AS staff_corrected,
        list_met_by(o.list, u) AS met_by
    FROM was_open o
    ANTI JOIN listed l USING (list, unit_id, district_code)
    LEFT JOIN unit_status u USING (unit_id)
    LEFT JOIN previous_unit_status p USING (unit_id)
),
closed_now AS (
    SELECT list, list_name, unit_id, name, uscc, sector, district_code, district_name,
        opened_period, (SELECT period FROM cur) AS closed_period,
        CASE
            WHEN absent THEN 'absent'
            WHEN status IN ('deregistered', 'revoked', 'moved_out') THEN
                CASE WHEN status_corrected THEN 'corrected' ELSE status END
            WHEN moved THEN CASE WHEN district_corrected THEN 'corrected' ELSE 'moved_district' END
            WHEN NOT in_scope THEN 'out_of_scope'
            WHEN met_by IS NOT NULL THEN 'covered'
            WHEN staff_corrected THEN 'corrected'
            ELSE 'below_threshold'
        END AS close_reason,
        met_by
    FROM closing
),
closed_before AS (
    SELECT list, list_name, unit_id, name, uscc, sector, district_code, district_name,
        opened_period, closed_period, close_reason, met_by
    FROM previous_list_items
    WHERE closed_period IS NOT NULL
),
items AS (
    SELECT * FROM still_open
    UNION ALL BY NAME SELECT * FROM opened
    UNION ALL BY NAME SELECT * FROM closed_now
    UNION ALL BY NAME SELECT * FROM closed_before
),
month_number AS (
    SELECT *,
        CAST(left(opened_period, 4) AS INTEGER) * 12 + CAST(right(opened_period, 2) AS INTEGER) AS opened_month,
        CAST(left(coalesce(closed_period, (SELECT period FROM cur)), 4) AS INTEGER) * 12
            + CAST(right(coalesce(closed_period, (SELECT period FROM cur)), 2) AS INTEGER) AS end_month
    FROM items
)
SELECT (SELECT period FROM cur) AS period,
    i.list, i.list_name, i.unit_id, i.name, i.uscc, i.sector, i.district_code, i.district_name,
    i.opened_period, CAST(i.closed_period AS VARCHAR) AS closed_period,
    CAST(i.close_reason AS VARCHAR) AS close_reason, CAST(i.met_by AS VARCHAR) AS met_by,
    i.end_month - i.opened_month + CASE WHEN i.closed_period IS NULL THEN 1 ELSE 0 END AS months_open,
    p.plan_measures, p.plan_schedule, p.plan_due, p.plan_owner, p.plan_progress, p.plan_note
FROM month_number i
LEFT JOIN plans_in_force() p USING (unit_id)
ORDER BY i.district_code, i.list, i.opened_period, i.unit_id;
