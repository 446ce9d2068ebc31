-- The input of the unit_status golden tests: units as stage_tables.rs loads them, what assess
-- found for each (unit_assessment), and settings at the notice's switches.
CREATE TABLE units (period VARCHAR DEFAULT '2026-11', unit_id VARCHAR, name VARCHAR,
    name_key VARCHAR, name_keys VARCHAR, uscc VARCHAR, sector VARCHAR DEFAULT 'enterprise',
    unit_kind VARCHAR DEFAULT 'private_enterprise', status VARCHAR DEFAULT 'active',
    district_code VARCHAR DEFAULT '110101', district_name VARCHAR DEFAULT '东城区',
    street VARCHAR, industry VARCHAR, park VARCHAR, building VARCHAR,
    registration_level VARCHAR, sub_category VARCHAR);
INSERT INTO units (unit_id, name) VALUES ('A', '甲'), ('B', '乙'), ('C', '丙'), ('D', '丁'),
    ('E', '戊'), ('F', '己'), ('G', '庚'), ('H', '辛');
UPDATE units SET district_code = NULL, district_name = NULL WHERE unit_id = 'F';
CREATE TABLE unit_assessment (unit_id VARCHAR, out_of_scope_reason VARCHAR,
    formal_members BIGINT DEFAULT 0, probationary_members BIGINT DEFAULT 0,
    members_not_transferred BIGINT DEFAULT 0,
    single_org_level VARCHAR, single_org_ids VARCHAR, joint_org_ids VARCHAR,
    affiliated_org_ids VARCHAR, functional_org_ids VARCHAR,
    has_instructor BOOLEAN DEFAULT false, has_mass_org BOOLEAN DEFAULT false,
    employees BIGINT, employees_source VARCHAR, no_org_reason VARCHAR,
    corrected_status VARCHAR, corrected_district_code VARCHAR,
    corrected_district_name VARCHAR, corrected_fields VARCHAR);
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
