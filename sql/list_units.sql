-- list_units(): the columns every unit list shows, said once — the period, which unit
-- (id, name, USCC), its kind and place (sector, unit_kind, district, street), its size
-- (employees), members (formal, probationary) and organization form — and the whole
-- unit_status row as the struct `u`, for each list's condition and detail.
-- A list selects `l.period`, its list/list_name/rule, `l.* EXCLUDE (period, u)` and its
-- detail; the rows it keeps are its own WHERE. No numerator or denominator: every unit
-- of unit_status, in scope or not.
-- depends: unit_status
-- output: macro
CREATE OR REPLACE MACRO list_units() AS TABLE
SELECT
    u.period, u.unit_id, u.name, u.uscc, u.sector, u.unit_kind, u.district_code, u.district_name, u.street,
    u.employees, u.formal_members, u.probationary_members, u.org_form,
    u
FROM unit_status u;
