#!/usr/bin/env python3
"""Independent recount of a synthetic month written by `coverage-synth write` (clean data,
no messiness), straight from the export files, to check coverage_by_district.

Usage: python3 tests/recount/recount_sample.py DATA_DIR [--expected FILE]  (needs openpyxl)
Prints one line per sector and district: scope, with members, 3+ formal, single,
joint, org-covered, work-covered. With --expected, compares those lines with FILE
(the same lines from coverage_by_district, in any order) and exits 1 on any
difference. It shares no code with coverage; it implements the rules of
docs/decisions.md as plainly as it can for this export layout."""
import csv, io, sys, collections
import openpyxl

args = sys.argv[1:]
expected = None
if "--expected" in args:
    i = args.index("--expected")
    expected = args[i + 1]
    del args[i:i + 2]
d = args[0]
DISTRICTS = {}
def read_csv(name, enc="utf-8-sig"):
    with open(f"{d}/{name}", "rb") as f:
        return list(csv.DictReader(io.StringIO(f.read().decode(enc))))

def norm(name):
    import unicodedata
    s = unicodedata.normalize("NFKC", name).replace(" ", "")
    s = s.replace("有限责任公司", "有限公司").replace("股份有限公司", "股份公司")
    for p in ("北京市", "北京"):
        if s.startswith(p) and len(s) > len(p):
            return s[len(p):]
    return s

units = {}  # uscc -> dict
for f in ("enterprises_a.csv", "enterprises_b.csv"):
    for r in read_csv(f, "gb18030"):
        t = r["企业类型"]
        kind = ("state_owned" if "国有" in t else "collective" if "集体" in t else
                "individual" if "个体" in t else "coop" if "合作社" in t else "private")
        sector = "social_org" if any(x in r["企业名称"] for x in ("律师事务所", "会计师事务所", "税务师事务所")) and kind == "private" else "enterprise"
        active = r["登记状态"] in ("存续", "在业", "开业", "迁入", "停业", "清算")
        units.setdefault(r["统一社会信用代码"], dict(name=r["企业名称"], district=r["所属区"], sector=sector,
            in_scope=active and kind in ("private", "coop"), employees=int(r["从业人数"] or 0)))
ws = openpyxl.load_workbook(f"{d}/social_orgs.xlsx", read_only=True)["社会组织"]
rows = list(ws.iter_rows(values_only=True))
head = rows[1]
for row in rows[2:]:
    r = dict(zip(head, row))
    units.setdefault(r["统一社会信用代码"], dict(name=r["社会组织名称"], district=r["所在区"], sector="social_org",
        in_scope=r["登记状态"] == "正常", employees=int(r["从业人员数"] or 0)))
for r in read_csv("law_firms.csv"):
    units.setdefault(r["统一社会信用代码"], dict(name=r["律师事务所名称"], district=r["所在区"], sector="social_org",
        in_scope=r["执业状态"] == "执业", employees=int(r["执业人数"] or 0)))
by_name = collections.defaultdict(list)
for u, x in units.items():
    by_name[norm(x["name"])].append(u)

def find(uscc, name):
    if uscc in units:
        return uscc
    c = by_name.get(norm(name or ""), [])
    return c[0] if len(c) == 1 else None

own, joint, functional = set(), set(), set()
orgs = {}
# An organization is dissolved once and for all: an id given as 已撤销 anywhere is
# dissolved, whatever another row of it says.
dissolved = {r["党组织编码"] for r in read_csv("party_orgs.csv") if r["状态"] != "正常"}
for r in read_csv("party_orgs.csv"):
    orgs[r["党组织编码"]] = r
    if r["党组织编码"] in dissolved or r["党组织类别"] == "党小组":
        continue
    host = find(r["所在单位统一社会信用代码"], r["所在单位名称"]) if (r["所在单位统一社会信用代码"] or r["所在单位名称"]) else None
    if host:
        {"单独组建": own, "联合组建": joint, "挂靠组建": joint, "功能型": functional}[r["组建方式"]].add(host)
for r in read_csv("joint_coverage.csv"):
    o = orgs[r["联合党组织编码"]]
    if r["联合党组织编码"] not in dissolved and o["党组织类别"] != "党小组":
        u = find(r["覆盖单位统一社会信用代码"], r["覆盖单位名称"])
        {"单独组建": joint, "联合组建": joint, "挂靠组建": joint, "功能型": functional}[o["组建方式"]].add(u)

formal, prob = collections.Counter(), collections.Counter()
seen = set()
for r in read_csv("members.csv"):
    if r["党籍状态"] != "正常" or r["公民身份号码"] in seen:
        continue
    seen.add(r["公民身份号码"])
    # A member is counted where 工作单位 says; the own organization's host only where
    # 工作单位 names no unit.
    o = orgs.get(r["所在党组织编码"])
    unit = find(r["工作单位统一社会信用代码"], r["工作单位"])
    if unit is None and o and o["组建方式"] == "单独组建" and (o["所在单位统一社会信用代码"] or o["所在单位名称"]):
        unit = find(o["所在单位统一社会信用代码"], o["所在单位名称"])
    (formal if r["人员类别"] == "正式党员" else prob)[unit] += 1

work_extra = set()
for r in read_csv("ledger.csv", "utf-8"):
    if r["党建工作指导员"] == "是" or r["工会"] == "已建" or r["团组织"] == "是":
        work_extra.add(r["统一社会信用代码"])

stats = collections.defaultdict(lambda: [0] * 7)
for u, x in units.items():
    if not x["in_scope"]:
        continue
    form = "single" if u in own else "joint" if u in joint else "functional" if u in functional else "none"
    vals = [1, int(formal[u] + prob[u] > 0), int(formal[u] >= 3), int(form == "single"), int(form == "joint"),
            int(form in ("single", "joint")), int(form != "none" or u in work_extra)]
    for key in ((x["sector"], x["district"]), (x["sector"], "全市")):
        stats[key] = [a + b for a, b in zip(stats[key], vals)]
lines = [" ".join(map(str, (sector, district, *v))) for (sector, district), v in sorted(stats.items())]
for line in lines:
    print(line)
if expected is not None:
    with open(expected, encoding="utf-8") as f:
        want = sorted(l.strip() for l in f if l.strip())
    got = sorted(lines)
    missing = [l for l in want if l not in got]
    extra = [l for l in got if l not in want]
    for l in missing:
        print("coverage only:", l, file=sys.stderr)
    for l in extra:
        print("recount only: ", l, file=sys.stderr)
    if missing or extra or not got:
        sys.exit(1)
    print(f"recount: all {len(got)} rows agree")
