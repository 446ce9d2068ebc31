#!/usr/bin/env python3
"""A synthetic month of the standard layout rewritten as another export system writes it,
its rows in the same order (so that its truth still holds): other headers and column
orders, 工作单位及职务 (a post after the name), the district written into 工作单位, the
party organization written for the unit, 存续（在营、开业、在册）and other status words (正常执业 for a law firm, 已登记 for a
social organization),
districts as codes and without 区, counts with 人, members' 转正日期 for their category, a totals row and a second title row in
the social organizations' workbook, the joint-coverage list inside the party-organization export, a ledger whose headers are the form's questions and
whose answers are 已建立/未建立 and 有/无, party organizations without a 组建方式 column and their host's columns under a group header,
and one enterprise file tab-separated. Used by bench/another_hand.sh.

    python3 bench/another_hand.py SOURCE_MONTH OUT_FOLDER
"""
import csv
import io
import os
import random
import shutil
import sys

import openpyxl

src, dst = sys.argv[1], sys.argv[2]
rng = random.Random(5)
shutil.rmtree(dst, ignore_errors=True)
os.makedirs(dst)
shutil.copytree(f"{src}/truth", f"{dst}/truth")
shutil.copy(f"{src}/pseudonym.key", dst)
DISTRICTS = {}


def read(name):
    raw = open(f"{src}/{name}", "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(raw.decode(enc))))
        except UnicodeDecodeError:
            pass
    raise SystemExit(f"{name}: neither UTF-8 nor GB18030")


def write(name, rows, enc="utf-8-sig", delimiter=","):
    with open(f"{dst}/{name}", "w", encoding=enc, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)


def renamed(rows, names):
    rows[0] = [names.get(h, h) for h in rows[0]]
    return rows


def whole(rows):
    """The data rows with every field (the generator's broken rows stay as they are)."""
    return [r for r in rows[1:] if len(r) == len(rows[0])]


# The district codes: the code most of a district's USCCs carry (positions 3-8).
votes = {}
for name in ("enterprises_a.csv", "enterprises_b.csv"):
    rows = read(name)
    d, u = rows[0].index("所属区"), rows[0].index("统一社会信用代码")
    for r in whole(rows):
        if r[u][2:8].startswith("1101") and r[d]:
            key = (r[d], r[u][2:8])
            votes[key] = votes.get(key, 0) + 1
for (district, code), n in sorted(votes.items(), key=lambda kv: -kv[1]):
    DISTRICTS.setdefault(district, code)

for name, enc, delimiter in (("enterprises_a.csv", "gb18030", ","), ("enterprises_b.csv", "utf-8-sig", "\t")):
    rows = renamed(read(name), {
        "统一社会信用代码": "社会信用代码", "企业名称": "企业（机构）名称", "企业类型": "市场主体类型",
        "登记状态": "经营状态", "所属区": "区县", "街道乡镇": "乡镇街道", "行业门类": "国民经济行业门类",
        "从业人数": "从业人员（人）"})
    d, s, n = rows[0].index("区县"), rows[0].index("经营状态"), rows[0].index("从业人员（人）")
    for r in whole(rows):
        k = rng.random()
        if k < 0.2 and r[d] in DISTRICTS:
            r[d] = DISTRICTS[r[d]]
        elif k < 0.4 and r[d].endswith("区"):
            r[d] = r[d][:-1]
        elif k < 0.5 and r[d]:
            r[d] = "北京市" + r[d]
        if r[s] == "存续":
            r[s] = rng.choice(["存续（在营、开业、在册）", "在业", "开业"])
        elif r[s] == "吊销":
            r[s] = "吊销，未注销"
        if r[n].isdigit() and rng.random() < 0.3:
            r[n] += "人"
    write(name, rows, enc, delimiter)

rows = renamed(read("members.csv"), {
    "公民身份号码": "身份证号码", "人员类别": "转正日期", "所在党组织编码": "党组织编码",
    "工作单位": "工作单位及职务", "党籍状态": "党员状态"})
c, w = rows[0].index("转正日期"), rows[0].index("工作单位及职务")
posts = ["职员", " 经理", "会计", "员工", "（办公室主任）", "/党支部书记"]
for r in whole(rows):
    # 转正日期 in place of the category: a 预备党员 has none.
    r[c] = "" if "预备" in r[c] else f"{rng.randint(1975, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    text, k = r[w], rng.random()
    if not text:
        continue
    if k < 0.25:
        r[w] = text + rng.choice(posts)
    elif k < 0.30 and text.startswith("北京") and "区" not in text[:6]:
        r[w] = "中共" + text + "支部委员会"
order = [1, 0, 3, 2, 5, 4, 6]
write("members.csv", [[(r + [""] * 7)[i] for i in order][:len(r)] if len(r) < 7 else [r[i] for i in order]
                      for r in rows])

rows = renamed(read("party_orgs.csv"), {"党组织类别": "组织类别",
                                        "所在单位统一社会信用代码": "统一社会信用代码",
                                        "所在单位名称": "名称"})
m = rows[0].index("组建方式")
rows = [[x for i, x in enumerate(r) if i != m] if len(r) == len(rows[0]) else r for r in rows]
# The joint-coverage list kept in the organization export: the units an organization
# covers listed in one cell (their codes too, where every one has a code).
covered = {}
for r in whole(read("joint_coverage.csv")):
    covered.setdefault(r[0], []).append(r)
width = len(rows[0])
for r in rows[1:]:
    units = covered.get(r[0], []) if len(r) == width else []
    codes = "、".join(u[1] for u in units) if all(u[1] for u in units) else ""
    r += [codes, "、".join(u[2] for u in units)] if len(r) == width else []
rows[0] += ["统一社会信用代码", "名称"]
# The host's and the covered units' columns under group headers written in their first
# cell only (a CSV saved from a workbook with merged cells).
group = ["" for _ in rows[0]]
group[0], group[rows[0].index("统一社会信用代码")] = "党组织情况", "所在单位"
group[width] = "覆盖单位"
write("party_orgs.csv", [group] + rows)

rows = renamed(read("ledger.csv"), {
    "党建工作指导员": "是否选派党建指导员", "工会": "是否建立工会", "团组织": "是否建立团组织",
    "未建党组织原因": "未建原因"})
answers = {1: {"是": "已选派", "否": "未选派"}, 2: {"已建": "已建立", "未建": "未建立"}, 3: {"是": "有", "否": "无"}}
for r in whole(rows):
    for col, words in answers.items():
        i = col + 1
        r[i] = words.get(r[i], r[i])
write("ledger.csv", rows)
# The justice bureau's words for a firm in practice.
rows = read("law_firms.csv")
s = rows[0].index("执业状态")
for r in whole(rows):
    if r[s] == "执业":
        r[s] = rng.choice(["正常执业", "执业中", "执业"])
write("law_firms.csv", rows)

book = openpyxl.load_workbook(f"{src}/social_orgs.xlsx")
sheet = book.worksheets[0]
# Civil affairs' words for a registered organization.
top = next(i for i in range(1, 6) if "登记状态" in [c.value for c in sheet[i]])
status = [c.value for c in sheet[top]].index("登记状态") + 1
for row in range(top + 1, sheet.max_row + 1):
    if sheet.cell(row, status).value == "正常":
        sheet.cell(row, status, rng.choice(["已登记", "正常登记", "正常"]))
sheet.insert_rows(2)
sheet.cell(2, 1, "填报单位：北京市民政局")
last = sheet.max_row
sheet.cell(last + 1, 1, "合计")
sheet.cell(last + 1, 8, f"=SUM(H4:H{last})")
book.save(f"{dst}/social_orgs.xlsx")

# The social organizations' rows moved down one row (the second title row).
rows = list(csv.reader(open(f"{dst}/truth/registry_rows.csv", encoding="utf-8")))
for r in rows[1:]:
    if r[0] == "social_orgs.xlsx":
        r[1] = str(int(r[1]) + 1)
with open(f"{dst}/truth/registry_rows.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows)
