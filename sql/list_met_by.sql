-- list_met_by(list, u): how the unit_status row u meets what the unit list named `list`
-- asks of it — the part of each list's condition that the districts' work changes — as
-- a met_by word (src/vocabulary.rs ListMetBy), NULL while it does not:
--   should_form_own, joint_unit_can_form_own      single: an own organization
--   enterprise_needs_members                      members: a counted member
--   enterprise_needs_org, municipal_group_needs_org, staff30_needs_org
--                                                 org_covered: the organization's form
--   members_without_coverage                      work_covered: an organization's form,
--                                                 else instructor, else mass_org
-- Each list of sql/list_*.sql names a unit of its scope over its threshold while this
-- is NULL; list_items closes an item as covered when it is not. No numerator or
-- denominator.
-- depends: -
-- output: macro
CREATE OR REPLACE MACRO list_met_by(list, u) AS CASE
    WHEN list IN ('should_form_own', 'joint_unit_can_form_own') THEN
        CASE WHEN u.org_form = 'single' THEN 'single' END
    WHEN list = 'enterprise_needs_members' THEN
        CASE WHEN u.has_members THEN 'members' END
    WHEN list IN ('enterprise_needs_org', 'municipal_group_needs_org', 'staff30_needs_org') THEN
        CASE WHEN u.org_covered THEN u.org_form END
    WHEN list = 'members_without_coverage' THEN
        CASE
            WHEN u.org_form <> 'none' THEN u.org_form
            WHEN u.has_instructor THEN 'instructor'
            WHEN u.has_mass_org THEN 'mass_org'
        END
END;
