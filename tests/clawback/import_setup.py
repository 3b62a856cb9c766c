"""Files and helpers shared by the record-import tests."""

import csv
import io

from openpyxl import Workbook

from clawback.models import Restatement
from clawback.services.imports import import_records

EXECUTIVES_CSV = """key,name,title,officer_start,officer_end,officer_title,neo_years
ceo,Avery Chen,Chief Executive Officer,2015-01-01,,CEO,FY2024;FY2025
cfo,Blake Ortiz,Chief Financial Officer,2019-01-01,2020-06-30,Controller,
cfo,,,2024-09-01,,CFO,FY2025
"""
MEASURES_CSV = """key,name,category,period,original,source
net_income,Net income,net_income,FY2024,240000000,2024 10-K
net_income,Net income,net_income,FY2025,"260,000,000",2025 10-K
revenue,Revenue,revenue,FY2024,"$1,000,000,000.50",2024 10-K
tsr,Relative TSR,tsr,,,
"""
RESTATED_CSV = """measure,period,restated,source
net_income,FY2024,"228,000,000",2025 10-K/A
net_income,FY2025,236000000,2025 10-K/A
"""
AWARDS_CSV = """executive,key,award_type,basis,performance_start,performance_end,measure,measure_period,formula_kind,target,points,received,unit,value_per_unit,grant_date
ceo,ceo-fy2024-bonus,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,net_income,FY2024,curve,800000,180000000:0.5; 220000000:1.0; 260000000:2.0,1200000,USD,,2024-02-01
cfo,cfo-rsu,rsu,time_vested,2024-09-01,2025-09-01,,,,,,5000,units,38.00,
"""  # noqa: E501

CREDITS_CSV = """award,amount,recovered_on,source,reference
ceo-fy2024-bonus,"$200,000",2025-09-01,prior_restatement,Restatement 2025-1
cfo-rsu,"1,000.5",2025-10-01,sox_304,SEC v. Ortiz settlement
"""

SCORECARD_AWARD = (
    "executive,key,award_type,basis,performance_start,performance_end,scorecard_target,scorecard_cap_factor,"
    "received\n"
    'ceo,ceo-fy2024-scorecard,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,"$500,000",1.5,'
    '"$600,000"\n'
)

SCORECARD_GOALS = (
    "award,goal,basis,measure,measure_period,weight,points,factor\n"
    'ceo-fy2024-scorecard,1,,net_income,FY2024,0.4,"180,000,000:0.5; 220,000,000:1; 260,000,000:2",\n'
    'ceo-fy2024-scorecard,2,financial_reporting_measure,revenue,FY2024,0.4,"900,000,000:0.5; 1,100,000,000:1",\n'
    "ceo-fy2024-scorecard,3,operational_goal,,,0.2,,1.2\n"
)


def _run(users, company, kind, text, *, commit, fmt="csv", **more):
    content = text.encode() if isinstance(text, str) else text
    return import_records(
        actor=users["secretary"], company=company, kind=kind, content=content, fmt=fmt, file_name=f"f.{fmt}",
        commit=commit, **more,
    )  # fmt: skip


def _xlsx(text: str, **sheets: str) -> bytes:
    """A workbook of CSV text: the first sheet, then one sheet per keyword (e.g. goals=...)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    for title, more in sheets.items():
        extra = workbook.create_sheet(title)
        for row in csv.reader(io.StringIO(more)):
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _case(company, title="FY2025 restatement"):
    return Restatement.objects.create(company=company, title=title, kind=Restatement.Kind.BIG_R)


def _everything(users, company):
    for kind, text in (("executives", EXECUTIVES_CSV), ("measures", MEASURES_CSV), ("awards", AWARDS_CSV)):
        report = _run(users, company, kind, text, commit=True)
        assert report.committed, report.errors
