-- The input of the unit_status golden tests: units as stage_tables.rs loads them, what assess
-- found for each (unit_assessment), and settings at the notice's switches.
-- units and unit_assessment are made by the golden (`stage`) as a run declares them; the
-- defaults below stand for what every row here shares.
ALTER TABLE units ALTER COLUMN period SET DEFAULT '2026-11';
ALTER TABLE units ALTER COLUMN name_key SET DEFAULT '';
ALTER TABLE units ALTER COLUMN sector SET DEFAULT 'enterprise';
ALTER TABLE units ALTER COLUMN unit_kind SET DEFAULT 'private_enterprise';
ALTER TABLE units ALTER COLUMN status SET DEFAULT 'active';
ALTER TABLE units ALTER COLUMN district_code SET DEFAULT '110101';
ALTER TABLE units ALTER COLUMN district_name SET DEFAULT '东城区';
ALTER TABLE units ALTER COLUMN record_count SET DEFAULT 1;
ALTER TABLE units ALTER COLUMN source SET DEFAULT 'enterprises';
ALTER TABLE units ALTER COLUMN source_file SET DEFAULT 'enterprises.csv';
ALTER TABLE units ALTER COLUMN source_row SET DEFAULT 2;
INSERT INTO units (unit_id, name) VALUES ('A', '甲'), ('B', '乙'), ('C', '丙'), ('D', '丁'),
    ('E', '戊'), ('F', '己'), ('G', '庚'), ('H', '辛');
UPDATE units SET district_code = NULL, district_name = NULL WHERE unit_id = 'F';
ALTER TABLE unit_assessment ALTER COLUMN period SET DEFAULT '2026-11';
ALTER TABLE unit_assessment ALTER COLUMN formal_members SET DEFAULT 0;
ALTER TABLE unit_assessment ALTER COLUMN probationary_members SET DEFAULT 0;
ALTER TABLE unit_assessment ALTER COLUMN members_not_transferred SET DEFAULT 0;
ALTER TABLE unit_assessment ALTER COLUMN has_instructor SET DEFAULT false;
ALTER TABLE unit_assessment ALTER COLUMN has_mass_org SET DEFAULT false;
-- A: 1 probationary member, no organization.     B: 3 formal, a single organization O1.
-- C: a 挂靠 (affiliated) organization G1 only.    D: a functional organization F1 only.
-- E: joint J2 and 挂靠 G1.                        F: no district (out of scope, no_district).
-- G: nothing but an instructor.                 H: registered in 东城区, which its
--    district corrected to 朝阳区 (returned work pack): counted there, and deregistered
--    per the same correction's status, so out of scope.
-- A's probationary member is in the street's committee: 组织关系未转入 1.
INSERT INTO unit_assessment (unit_id, probationary_members, members_not_transferred)
    VALUES ('A', 1, 1);
INSERT INTO unit_assessment (unit_id, formal_members, single_org_ids, single_org_level)
    VALUES ('B', 3, 'O1', 'branch');
INSERT INTO unit_assessment (unit_id, affiliated_org_ids) VALUES ('C', 'G1');
INSERT INTO unit_assessment (unit_id, functional_org_ids) VALUES ('D', 'F1');
INSERT INTO unit_assessment (unit_id, joint_org_ids, affiliated_org_ids) VALUES ('E', 'J2', 'G1');
INSERT INTO unit_assessment (unit_id, out_of_scope_reason) VALUES ('F', 'no_district');
INSERT INTO unit_assessment (unit_id, has_instructor) VALUES ('G', true);
INSERT INTO unit_assessment (unit_id, out_of_scope_reason, corrected_status,
    corrected_district_code, corrected_district_name, corrected_fields)
    VALUES ('H', 'deregistered', 'deregistered', '110105', '朝阳区', 'status;district');
