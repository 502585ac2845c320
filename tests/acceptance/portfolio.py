"""A small, tricky portfolio as the CSV files a user would import."""

from __future__ import annotations

from pathlib import Path

AS_OF = "2024-06-15"

FILES = {
    "projects.csv": """\
key,name,start_date,horizon_months,discount_rate,probability_of_success,cost_contingency,risk_premium,stage,description
alpha,Alpha assistant,2024-01-15,24,0.12,0.8,0.1,0.03,pilot,"=HYPERLINK(""x"")"
beta,Beta triage,2024-04-01,,,,0.05,,production,-5 units
gamma,Gamma search,2023-11-20,12,0.08,0.6,,0.05,scaled,
""",
    "costs.csv": """\
project_key,key,date,category,amount,recurrence,end_date,status,low,high
alpha,a-build-plan,2024-01-10,development,48000,one_time,,planned,,
alpha,a-build,2024-01-10,development,50000,,,actual,,
alpha,a-lic,2023-12-01,licensing,1200.50,monthly,2025-06-30,planned,1000,1500
alpha,a-lic-paid,2024-01-01,licensing,1250,monthly,2024-12-31,actual,,
alpha,a-infra,2024-02-05,infrastructure,3000.10,quarterly,,planned,,
alpha,a-pre,2023-12-01,data,999,one_time,,planned,,
alpha,a-late,2026-03-01,other,5000,one_time,,planned,,
beta,b-build-plan,2024-04-01,development,25000,,,planned,,
beta,b-build,2024-04-01,development,30000,,,actual,,
beta,b-run,2024-05-01,maintenance,800,monthly,2026-12-31,planned,,
beta,b-audit,2024-04-15,other,4000,annually,,planned,,
gamma,g-team,2023-11-01,talent,2000,monthly,2024-10-31,planned,,
gamma,g-team-paid,2023-11-01,talent,2100,monthly,2024-03-31,actual,,
""",
    "benefits.csv": """\
project_key,key,date,type,category,amount,recurrence,end_date,status,confidence,ramp_months,low,high
alpha,a-save,2024-03-01,hard,cost_savings,4000,monthly,2025-09-30,expected,0.9,4,3000,5000
alpha,a-save-real,2024-03-01,hard,cost_savings,2500,monthly,2024-12-31,realized,,,,
alpha,a-mood,2024-07-01,soft,employee_satisfaction,6000,annually,,expected,0.5,,,
beta,b-rev,2024-06-01,hard,revenue,9000,quarterly,,expected,0.75,6,,
beta,b-rev-real,2024-06-10,hard,revenue,1000,one_time,,realized,,,,
beta,b-brand,2025-01-01,soft,brand,2000,,,expected,,,,
gamma,g-time,2024-02-01,hard,time_savings,3000,monthly,,expected,0.95,2,,
gamma,g-time-real,2024-02-01,hard,time_savings,1500,monthly,2024-06-30,realized,,2,,
gamma,g-beyond,2024-12-01,hard,productivity,5000,one_time,,expected,,,,
""",
    "kpis.csv": """\
project_key,key,name,unit,baseline,target,baseline_date,target_date
alpha,k-up,Tickets per hour,tickets,10,20,,2024-12-31
alpha,k-down,Minutes per case,minutes,100,60,2024-02-01,2025-01-31
beta,k-on-track,Accuracy A,pct,0,100,2024-04-01,2024-08-01
beta,k-at-risk,Accuracy B,pct,0,100,2024-04-01,2024-08-01
beta,k-off-track,Accuracy C,pct,0,100,2024-04-01,2024-08-01
beta,k-achieved,Coverage,pct,0,10,2024-04-01,2024-12-31
gamma,k-missed,Adoption,users,5,10,2023-11-20,2024-05-31
gamma,k-empty,Satisfaction,score,3,4,2023-11-20,2024-12-31
""",
    "measurements.csv": """\
project_key,kpi_key,date,value,note
alpha,k-up,2024-03-01,12,
alpha,k-up,2024-05-01,15,
alpha,k-up,2024-07-01,30,after the as-of date
alpha,k-down,2024-03-15,95,
alpha,k-down,2024-06-15,82,on the as-of date
beta,k-on-track,2024-06-01,50,
beta,k-at-risk,2024-06-01,40,
beta,k-off-track,2024-06-01,39,
beta,k-achieved,2024-05-01,10,
gamma,k-missed,2024-02-01,7,
""",
    "benchmarks.csv": """\
project_key,kpi_key,name,value,source
alpha,k-up,Industry median,14,"@survey, 2024"
""",
    "decisions.csv": """\
project_key,date,decision,rationale,author
alpha,2024-05-01,continue,"Pilot works; ""keep"" going",Dana
""",
}


def write_portfolio(folder: Path) -> list[Path]:
    """Write the CSV files into ``folder``; return their paths."""
    paths = []
    for name, text in FILES.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
