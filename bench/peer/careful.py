"""The careful peer of bench/compare.sh: what a careful analyst writes in DuckDB SQL plus a
little Python for a month of the synthetic standard layout (coverage-synth write) — decode
the exports (GBK or UTF-8), read the workbook, check the codes (GB 32100 check character),
deduplicate units by every identifier (USCC, organization code, registration number, the
normal name in its district: a union-find), link members by their employer's USCC (its
column, or inside 工作单位), then by the employer's normal name, then by their
organization's host, and count the district figures. It writes OUT/coverage_by_district.csv
with the columns of bench/peer/peer.sql (the naive peer), for bench/peer/accuracy.sql.

    python3 bench/peer/careful.py DATA_DIR OUT_DIR
"""
import csv
import io
import re
import sys
import unicodedata

import duckdb
import openpyxl

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ACTIVE = {"存续", "在业", "开业", "迁入", "停业", "清算", "正常", "执业"}
OUT_OF_SCOPE_KINDS = ("国有", "集体", "个体")
NO = {"", "无", "否", "没有", "未建", "未选派", "0", "N", "NO", "-", "/"}
# The notice counts these firms as social organizations wherever they are registered.
FIRMS = ("律师事务所", "会计师事务所", "税务师事务所")


def fold(text):
    return unicodedata.normalize("NFKC", text or "").strip()


def valid_uscc(code):
    code = fold(code).upper().replace(" ", "").replace("-", "")
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return None
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code, USCC_WEIGHTS))
    check = USCC_CHARS[(31 - total % 31) % 31]
    return code if check == code[17] else None


def normal_name(name):
    n = re.sub(r"\s", "", fold(name)).replace("（", "(").replace("）", ")")
    for prefix in ("北京市", "北京"):
        if n.startswith(prefix):
            return n[len(prefix):]
    return n


def read_csv(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return list(csv.DictReader(io.StringIO(text)))


def pick(row, *names):
    for n in names:
        if n in row and row[n] not in (None, ""):
            return str(row[n]).strip()
    return ""


def registry(data):
    """Every registry row as (uscc, org_code, reg_no, name, district, sector, active, kind)."""
    rows = []
    for f in ("enterprises_a.csv", "enterprises_b.csv"):
        for r in read_csv(f"{data}/{f}"):
            rows.append(dict(uscc=pick(r, "统一社会信用代码", "信用代码"), org=pick(r, "组织机构代码"),
                             reg=pick(r, "注册号"), name=pick(r, "企业名称", "名称"),
                             district=pick(r, "所属区", "所在区"), sector="enterprise",
                             status=pick(r, "登记状态"), kind=pick(r, "企业类型")))
    book = openpyxl.load_workbook(f"{data}/social_orgs.xlsx", read_only=True)
    sheet = book.worksheets[0].iter_rows(values_only=True)
    next(sheet)
    header = [str(h) if h is not None else "" for h in next(sheet)]
    for values in sheet:
        r = {h: ("" if v is None else str(v)) for h, v in zip(header, values)}
        rows.append(dict(uscc=pick(r, "统一社会信用代码"), org="", reg="", name=pick(r, "社会组织名称"),
                         district=pick(r, "所在区"), sector="social_org", status=pick(r, "登记状态"),
                         kind=pick(r, "社会组织类型")))
    for r in read_csv(f"{data}/law_firms.csv"):
        rows.append(dict(uscc=pick(r, "统一社会信用代码"), org="", reg="", name=pick(r, "律师事务所名称"),
                         district=pick(r, "所在区"), sector="social_org", status=pick(r, "执业状态"),
                         kind="律师事务所"))
    return rows


def units_of(rows):
    """Deduplicates registry rows by every identifier; returns (unit of each row, keys)."""
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = {}
    keys = []
    for i, r in enumerate(rows):
        uscc = valid_uscc(r["uscc"])
        org = fold(r["org"]).upper().replace("-", "") or (uscc[8:17] if uscc else "")
        k = [("uscc", uscc), ("org", org), ("reg", fold(r["reg"])),
             ("name", normal_name(r["name"]) + "|" + r["district"] if r["name"] else "")]
        keys.append((uscc, normal_name(r["name"])))
        for key in k:
            if not key[1]:
                continue
            if key in first:
                a, b = find(i), find(first[key])
                if a != b:
                    parent[a] = b
            else:
                first[key] = i
    return [find(i) for i in range(len(rows))], keys


def main(data, out):
    rows = registry(data)
    unit, keys = units_of(rows)
    # A unit's facts: its first active record's (else its first record's).
    rep = {}
    for i, r in enumerate(rows):
        u = unit[i]
        best = rep.get(u)
        if best is None or (r["status"] in ACTIVE and rows[best]["status"] not in ACTIVE):
            rep[u] = i
    # A unit is a social organization if any of its records is one, or is such a firm.
    social = {unit[i] for i, r in enumerate(rows)
              if r["sector"] == "social_org" or any(w in r["name"] for w in FIRMS)}
    by_uscc, by_name = {}, {}
    for i, (uscc, name) in enumerate(keys):
        if uscc:
            by_uscc.setdefault(uscc, unit[i])
        if name:
            by_name.setdefault(name, set()).add(unit[i])
    find_name = lambda n: next(iter(by_name[n])) if len(by_name.get(n, ())) == 1 else None

    def unit_by(uscc_text, name_text):
        code = valid_uscc(uscc_text)
        if code and code in by_uscc:
            return by_uscc[code]
        return find_name(normal_name(name_text)) if name_text else None

    orgs = {}
    for r in read_csv(f"{data}/party_orgs.csv"):
        if r["状态"] != "正常" or r["党组织类别"] == "党小组":
            continue
        orgs[r["党组织编码"]] = (r["组建方式"], unit_by(r["所在单位统一社会信用代码"], r["所在单位名称"]))
    form = {}

    def cover(u, f):
        rank = {"single": 3, "joint": 2, "functional": 1}
        if u is not None and rank[f] > rank.get(form.get(u), 0):
            form[u] = f

    for kind, host in orgs.values():
        cover(host, {"单独组建": "single", "联合组建": "joint", "挂靠组建": "joint", "功能型": "functional"}.get(kind, "single"))
    for r in read_csv(f"{data}/joint_coverage.csv"):
        org = orgs.get(r["联合党组织编码"])
        if org and org[0] in ("联合组建", "挂靠组建"):
            cover(unit_by(r["覆盖单位统一社会信用代码"], r["覆盖单位名称"]), "joint")
    formal, members = {}, {}
    in_text = re.compile(r"[0-9A-Z]{18}")
    for r in read_csv(f"{data}/members.csv"):
        if r["党籍状态"] != "正常" or r["人员类别"] not in ("正式党员", "预备党员"):
            continue
        employer = r["工作单位"]
        u = None
        for code in [r.get("工作单位统一社会信用代码", "")] + in_text.findall(fold(employer).upper()):
            code = valid_uscc(code)
            if code in by_uscc:
                u = by_uscc[code]
                break
        if u is None and employer:
            u = find_name(normal_name(in_text.sub("", employer)))
        if u is None:
            org = orgs.get(r["所在党组织编码"])
            u = org[1] if org and org[0] == "单独组建" else None
        if u is not None:
            members[u] = members.get(u, 0) + 1
            formal[u] = formal.get(u, 0) + (r["人员类别"] == "正式党员")
    work = set()
    for r in read_csv(f"{data}/ledger.csv"):
        u = unit_by(r["统一社会信用代码"], r["单位名称"])
        if u is not None and any(fold(r[c]).upper() not in NO for c in ("党建工作指导员", "工会", "团组织")):
            work.add(u)
    status = []
    for u, i in rep.items():
        r = rows[i]
        kind = r["kind"]
        if r["status"] not in ACTIVE or not r["district"] or any(k in kind for k in OUT_OF_SCOPE_KINDS):
            continue
        f = form.get(u)
        sector = "social_org" if u in social else "enterprise"
        status.append((r["district"], sector, members.get(u, 0) > 0, formal.get(u, 0) >= 3,
                       f == "single", f == "joint", f is not None or u in work))
    with open(f"{out}/status.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["district", "sector", "has_members", "formal_3plus", "single", "joint", "work"])
        w.writerows(status)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE status AS SELECT * FROM read_csv('{out}/status.csv', header = true)")
    con.execute(f"""COPY (
        SELECT district AS district_name, sector, count(*) AS units_in_scope,
            count(*) FILTER (WHERE has_members) AS units_with_members,
            count(*) FILTER (WHERE formal_3plus) AS units_3plus_formal,
            count(*) FILTER (WHERE single) AS units_single_org,
            count(*) FILTER (WHERE joint) AS units_joint_org,
            count(*) FILTER (WHERE single OR joint) AS units_org_covered,
            count(*) FILTER (WHERE work) AS units_work_covered,
            count(*) FILTER (WHERE single OR joint) / count(*) AS org_coverage_rate,
            count(*) FILTER (WHERE single) / count(*) AS single_rate,
            count(*) FILTER (WHERE work) / count(*) AS work_coverage_rate
        FROM status GROUP BY ALL ORDER BY ALL) TO '{out}/coverage_by_district.csv' (HEADER)""")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
