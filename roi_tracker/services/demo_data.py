"""The demo portfolio as plain data: AI projects modelled on well-known uses of AI in business.

Figures are illustrative, of the scale such projects publicly report; they are not quotes.
Dates are months from the project's start (``month``); ``until=NOW`` means "up to the
current month". Amounts are whole currency units (turned into Decimal cents on loading).
"""

from __future__ import annotations

from dataclasses import dataclass

from roi_tracker.domain.vocabulary import (
    BenefitCategory,
    BenefitStatus,
    BenefitType,
    CostCategory,
    CostStatus,
    DecisionKind,
    Recurrence,
    Stage,
)

__all__ = [
    "NOW",
    "PROJECTS",
    "BenchmarkSpec",
    "BenefitSpec",
    "CostSpec",
    "DecisionSpec",
    "KpiSpec",
    "ProjectSpec",
]

#: ``until`` value: the item recurs up to and including the current month
NOW = "now"

ONE_TIME = Recurrence.ONE_TIME
MONTHLY = Recurrence.MONTHLY
QUARTERLY = Recurrence.QUARTERLY
ANNUALLY = Recurrence.ANNUALLY
PLANNED = CostStatus.PLANNED
ACTUAL = CostStatus.ACTUAL
EXPECTED = BenefitStatus.EXPECTED
REALIZED = BenefitStatus.REALIZED
HARD = BenefitType.HARD
SOFT = BenefitType.SOFT
C = CostCategory
B = BenefitCategory


@dataclass(frozen=True)
class CostSpec:
    key: str
    category: CostCategory
    month: int
    amount: int
    recurrence: Recurrence = ONE_TIME
    until: int | str | None = None
    status: CostStatus = PLANNED
    low: int | None = None
    high: int | None = None
    description: str = ""


@dataclass(frozen=True)
class BenefitSpec:
    key: str
    type: BenefitType
    category: BenefitCategory
    month: int
    amount: int
    recurrence: Recurrence = ONE_TIME
    until: int | str | None = None
    status: BenefitStatus = EXPECTED
    confidence: float = 1.0
    ramp_months: int = 0
    low: int | None = None
    high: int | None = None
    description: str = ""


@dataclass(frozen=True)
class BenchmarkSpec:
    name: str
    value: float
    source: str


@dataclass(frozen=True)
class KpiSpec:
    """A SMART KPI; its measurements follow a straight path to ``reach`` × the planned change.

    ``reach`` 1.2 overshoots the target, 0.85 falls short (at risk), below 0.5 fails.
    """

    key: str
    name: str
    unit: str
    baseline: float
    target: float
    target_month: int
    reach: float
    specific: str
    relevant_objective: str
    owner: str
    category: str
    benchmarks: tuple[BenchmarkSpec, ...]
    first_month: int = 1
    noise: float = 0.04
    decimals: int = 1
    floor: float | None = None
    ceiling: float | None = None


@dataclass(frozen=True)
class DecisionSpec:
    month: int
    decision: DecisionKind
    rationale: str
    author: str


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    name: str
    business_unit: str
    owner: str
    use_case: str
    stage: Stage
    description: str
    history_months: int
    horizon_months: int
    discount_rate: float
    probability_of_success: float
    cost_contingency: float
    risk_premium: float
    costs: tuple[CostSpec, ...]
    benefits: tuple[BenefitSpec, ...]
    kpis: tuple[KpiSpec, ...]
    decisions: tuple[DecisionSpec, ...]
    #: last month with measurements (a stopped project stops measuring); None: the current one
    measured_until: int | None = None


# Compact, column-aligned records read better than one argument per line.
# fmt: off
JAR_LABELS = ProjectSpec(
    key="jar-labels",
    name="Generative packaging design",
    business_unit="Consumer Foods - Marketing",
    owner="Giulia Romano",
    use_case="Generative design",
    stage=Stage.SCALED,
    description=(
        "An algorithm draws millions of unique jar labels from a library of patterns and "
        "colours for limited editions, so that every jar is one of a kind. Modelled on "
        "published limited editions of several million unique labels that reported about "
        "+25 % online conversions and +30 % revenue for the edition."
    ),
    history_months=22,
    horizon_months=36,
    discount_rate=0.09,
    probability_of_success=0.95,
    cost_contingency=0.05,
    risk_premium=0.02,
    costs=(
        CostSpec("design-engine", C.DEVELOPMENT, 0, 160_000, low=140_000, high=200_000,
                 description="Pattern generator and print-file pipeline"),
        CostSpec("design-engine-actual", C.DEVELOPMENT, 0, 185_000, status=ACTUAL,
                 description="Pattern generator: two extra iterations with the print house"),
        CostSpec("brand-assets", C.DATA, 1, 35_000,
                 description="Digitising and licensing the brand's pattern library"),
        CostSpec("brand-assets-actual", C.DATA, 1, 32_000, status=ACTUAL,
                 description="Pattern library digitised"),
        CostSpec("print-pipeline", C.INFRASTRUCTURE, 3, 5_000, MONTHLY, low=4_000, high=7_000,
                 description="Rendering cluster and variable-data print files"),
        CostSpec("print-pipeline-actual", C.INFRASTRUCTURE, 3, 5_600, MONTHLY, NOW, ACTUAL,
                 description="Rendering cluster and variable-data print files"),
        CostSpec("retailer-launch", C.CHANGE_MANAGEMENT, 5, 45_000,
                 description="Launch kit for retailers and the sales force"),
        CostSpec("retailer-launch-actual", C.CHANGE_MANAGEMENT, 5, 52_000, status=ACTUAL,
                 description="Launch kit, plus a second print run of displays"),
        CostSpec("upkeep", C.MAINTENANCE, 6, 12_000, QUARTERLY,
                 description="New pattern sets each season"),
        CostSpec("upkeep-actual", C.MAINTENANCE, 6, 12_000, QUARTERLY, NOW, ACTUAL,
                 description="New pattern sets each season"),
    ),
    benefits=(
        BenefitSpec("edition-margin", HARD, B.REVENUE, 6, 90_000, MONTHLY, confidence=0.8,
                    ramp_months=3, low=60_000, high=130_000,
                    description="Gross margin on limited-edition jars"),
        BenefitSpec("edition-margin-realized", HARD, B.REVENUE, 6, 108_000, MONTHLY, NOW,
                    REALIZED, description="Gross margin on limited-edition jars"),
        BenefitSpec("earned-media", SOFT, B.BRAND, 6, 40_000, QUARTERLY, confidence=0.6,
                    description="Earned media value of the edition"),
        BenefitSpec("earned-media-realized", SOFT, B.BRAND, 6, 55_000, QUARTERLY, NOW,
                    REALIZED, description="Earned media value measured by the PR agency"),
    ),
    kpis=(
        KpiSpec(
            "conversion", "Edition page conversion rate", "%", 2.4, 3.0, 12, 1.2,
            specific="Share of web-shop visits to the edition pages that end in an order, "
            "from web analytics, monthly",
            relevant_objective="Grow the brand's online revenue by 30 % (brand plan)",
            owner="E-commerce lead", category="customer",
            benchmarks=(
                BenchmarkSpec("Internal target", 3.0, "Brand plan"),
                BenchmarkSpec("Industry: food e-commerce conversion", 2.5,
                              "Published e-commerce conversion benchmarks, food and drink"),
                BenchmarkSpec("Peer: unique-label edition (+25 % conversions)", 3.0,
                              "Published case studies of generative packaging, e.g. "
                              "Nutella Unica (Ogilvy Italia, 2017), applied to our baseline"),
            ),
            noise=0.08, decimals=2,
        ),
        KpiSpec(
            "adoption", "Seasonal SKUs with generative labels", "%", 0.0, 60.0, 18, 1.05,
            specific="Share of seasonal SKUs whose labels come from the generator, per "
            "release calendar",
            relevant_objective="Make personalised packaging the default for seasonal ranges",
            owner="Packaging design manager", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 60.0, "Brand plan"),),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Consumer rating of the packaging", "score (1-5)", 3.9, 4.4, 12, 1.1,
            specific="Average rating of the jar design in the monthly consumer panel",
            relevant_objective="Strengthen brand preference among 18-34 year olds",
            owner="Consumer insights", category="satisfaction",
            benchmarks=(
                BenchmarkSpec("Internal target", 4.4, "Brand plan"),
                BenchmarkSpec("Category average", 4.0, "Consumer panel, spreads category"),
            ),
            decimals=2, ceiling=5.0,
        ),
    ),
    decisions=(
        DecisionSpec(4, DecisionKind.CONTINUE,
                     "Pilot run of 50 000 jars sold through in nine days; the print house "
                     "confirmed the cost per label.", "Giulia Romano"),
        DecisionSpec(11, DecisionKind.SCALE,
                     "Conversion above target three months in a row: extend to every seasonal "
                     "SKU and two more markets.", "Marco Bianchi, CMO"),
    ),
)

INVOICES = ProjectSpec(
    key="invoice-automation",
    name="Invoice processing automation",
    business_unit="Finance - Accounts Payable",
    owner="Priya Nair",
    use_case="Document AI",
    stage=Stage.SCALED,
    description=(
        "Document AI reads supplier invoices, matches them to purchase orders and posts the "
        "clean ones without a touch; clerks only handle the exceptions. About 12 000 invoices "
        "a month across three entities."
    ),
    history_months=20,
    horizon_months=36,
    discount_rate=0.08,
    probability_of_success=0.95,
    cost_contingency=0.05,
    risk_premium=0.01,
    costs=(
        CostSpec("idp-licence", C.LICENSING, 1, 9_000, MONTHLY, low=8_000, high=11_000,
                 description="Document AI platform, volume tier"),
        CostSpec("idp-licence-actual", C.LICENSING, 1, 9_000, MONTHLY, NOW, ACTUAL,
                 description="Document AI platform, volume tier"),
        CostSpec("erp-integration", C.DEVELOPMENT, 0, 120_000, low=100_000, high=150_000,
                 description="Purchase-order matching and ERP posting"),
        CostSpec("erp-integration-actual", C.DEVELOPMENT, 0, 138_000, status=ACTUAL,
                 description="ERP posting needed a custom connector for the third entity"),
        CostSpec("training-data", C.DATA, 0, 20_000,
                 description="Labelling 5 000 historical invoices"),
        CostSpec("training-data-actual", C.DATA, 0, 18_500, status=ACTUAL,
                 description="Labelling 5 000 historical invoices"),
        CostSpec("process-redesign", C.CHANGE_MANAGEMENT, 2, 30_000,
                 description="Exception workflow and clerk training"),
        CostSpec("process-redesign-actual", C.CHANGE_MANAGEMENT, 2, 26_000, status=ACTUAL,
                 description="Exception workflow and clerk training"),
        CostSpec("hosting", C.INFRASTRUCTURE, 2, 2_500, MONTHLY,
                 description="Queue, storage and monitoring"),
        CostSpec("hosting-actual", C.INFRASTRUCTURE, 2, 2_300, MONTHLY, NOW, ACTUAL,
                 description="Queue, storage and monitoring"),
    ),
    benefits=(
        BenefitSpec("processing-cost", HARD, B.COST_SAVINGS, 3, 75_000, MONTHLY,
                    confidence=0.9, ramp_months=6, low=55_000, high=90_000,
                    description="12 000 invoices a month at a lower cost per invoice"),
        BenefitSpec("processing-cost-realized", HARD, B.COST_SAVINGS, 3, 78_000, MONTHLY, NOW,
                    REALIZED, ramp_months=6,
                    description="12 000 invoices a month at a lower cost per invoice"),
        BenefitSpec("early-payment", HARD, B.COST_SAVINGS, 6, 12_000, MONTHLY, confidence=0.7,
                    description="Early-payment discounts no longer missed"),
        BenefitSpec("early-payment-realized", HARD, B.COST_SAVINGS, 6, 9_000, MONTHLY, NOW,
                    REALIZED, description="Early-payment discounts taken"),
        BenefitSpec("clerk-time", SOFT, B.TIME_SAVINGS, 3, 20_000, MONTHLY, confidence=0.8,
                    description="Clerk hours moved to supplier queries and analysis"),
        BenefitSpec("clerk-time-realized", SOFT, B.TIME_SAVINGS, 3, 22_000, MONTHLY, NOW,
                    REALIZED, description="Clerk hours moved to supplier queries and analysis"),
    ),
    kpis=(
        KpiSpec(
            "cost-per-invoice", "Cost per invoice", "USD", 9.40, 3.50, 15, 1.1,
            specific="Fully loaded accounts-payable cost divided by invoices posted, monthly",
            relevant_objective="Cut finance operating costs by 15 % (finance plan)",
            owner="AP manager", category="financial",
            benchmarks=(
                BenchmarkSpec("Internal target", 3.50, "Finance plan"),
                BenchmarkSpec("Industry: top-quartile cost per invoice", 2.50,
                              "Accounts-payable benchmarking studies (order of magnitude)"),
                BenchmarkSpec("Industry: median cost per invoice", 9.00,
                              "Accounts-payable benchmarking studies (order of magnitude)"),
            ),
            noise=0.03, decimals=2, floor=1.0,
        ),
        KpiSpec(
            "touchless-rate", "Invoices posted without a touch", "%", 5.0, 70.0, 12, 1.08,
            specific="Share of invoices posted with no human edit, from the ERP audit log",
            relevant_objective="Close the books two days faster",
            owner="AP manager", category="adoption",
            benchmarks=(
                BenchmarkSpec("Internal target", 70.0, "Finance plan"),
                BenchmarkSpec("Vendor reference customers", 80.0,
                              "Document AI vendors' published reference cases"),
            ),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "clerk-satisfaction", "AP clerk satisfaction with the tool", "score (1-5)", 3.0,
            4.0, 12, 0.95,
            specific="Average answer to 'the tool makes my work easier' in the quarterly "
            "pulse survey of the 18 AP clerks",
            relevant_objective="Keep AP staff turnover below 10 %",
            owner="Finance HR partner", category="satisfaction",
            benchmarks=(BenchmarkSpec("Internal target", 4.0, "Finance plan"),),
            decimals=2, ceiling=5.0,
        ),
    ),
    decisions=(
        DecisionSpec(5, DecisionKind.CONTINUE,
                     "Touchless rate 38 % after the pilot, ahead of plan; exceptions handled "
                     "within a day.", "Priya Nair"),
        DecisionSpec(10, DecisionKind.SCALE,
                     "Cost per invoice halved in the pilot entity: roll out to the two "
                     "remaining entities.", "Daniel Okafor, CFO"),
    ),
)

SENTIMENT = ProjectSpec(
    key="social-sentiment",
    name="Social sentiment analysis",
    business_unit="Corporate Communications",
    owner="Tom Becker",
    use_case="NLP classification",
    stage=Stage.RETIRED,
    description=(
        "Classifies brand mentions on social networks by sentiment and topic, to warn the "
        "communications team of brewing crises and to measure how campaigns are received. "
        "Accuracy never got past the mid-60s on sarcastic, multilingual posts and the team "
        "kept reading the feeds by hand: stopped after 14 months."
    ),
    history_months=18,
    horizon_months=24,
    discount_rate=0.10,
    probability_of_success=0.6,
    cost_contingency=0.15,
    risk_premium=0.05,
    measured_until=14,
    costs=(
        CostSpec("listening-api", C.LICENSING, 0, 6_000, MONTHLY, 23,
                 description="Social listening data feed"),
        CostSpec("listening-api-actual", C.LICENSING, 0, 7_800, MONTHLY, 14, ACTUAL,
                 description="Social listening data feed, after the vendor's price rise"),
        CostSpec("model-build", C.DEVELOPMENT, 0, 60_000, low=50_000, high=80_000,
                 description="Sentiment and topic classifier"),
        CostSpec("model-build-actual", C.DEVELOPMENT, 0, 85_000, status=ACTUAL,
                 description="Classifier, then fine-tuning after the pivot"),
        CostSpec("labelling", C.DATA, 1, 25_000, description="Labelling 8 000 posts"),
        CostSpec("labelling-actual", C.DATA, 1, 41_000, status=ACTUAL,
                 description="Labelling 20 000 posts in four languages"),
        CostSpec("exit-fee", C.OTHER, 14, 8_000, status=ACTUAL,
                 description="Early termination of the data-feed contract"),
    ),
    benefits=(
        BenefitSpec("analyst-time", HARD, B.TIME_SAVINGS, 4, 15_000, MONTHLY, 23,
                    confidence=0.7, ramp_months=4, low=5_000, high=20_000,
                    description="Two analysts no longer read the feeds by hand"),
        BenefitSpec("analyst-time-realized", HARD, B.TIME_SAVINGS, 4, 3_000, MONTHLY, 14,
                    REALIZED, description="Partial: analysts still double-checked every alert"),
        BenefitSpec("crisis-avoidance", SOFT, B.BRAND, 6, 30_000, QUARTERLY, 23,
                    confidence=0.4, description="Earlier warning of reputational issues"),
        BenefitSpec("crisis-avoidance-realized", SOFT, B.BRAND, 6, 5_000, QUARTERLY, 14,
                    REALIZED, description="One issue spotted a day earlier than before"),
    ),
    kpis=(
        KpiSpec(
            "accuracy", "Sentiment accuracy on the audit sample", "%", 55.0, 85.0, 9, 0.3,
            specific="Share of 500 hand-labelled posts per month classified correctly",
            relevant_objective="Detect reputational issues within an hour",
            owner="Data science lead", category="quality",
            benchmarks=(
                BenchmarkSpec("Internal target", 85.0, "Project charter"),
                BenchmarkSpec("Research: best systems on tweet sentiment", 70.0,
                              "SemEval Twitter sentiment tasks, top systems around 70 % "
                              "(macro-averaged)"),
            ),
            noise=0.1,
        ),
        KpiSpec(
            "adoption", "Communications staff using the weekly report", "%", 0.0, 80.0, 9,
            0.35,
            specific="Share of the 25 communications staff who opened the report in the month",
            relevant_objective="One shared view of brand reception across markets",
            owner="Tom Becker", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 80.0, "Project charter"),),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Communications team rating of the alerts", "score (1-5)", 3.0,
            4.0, 9, -0.3,
            specific="Average rating of alert usefulness in the monthly team survey",
            relevant_objective="Detect reputational issues within an hour",
            owner="Tom Becker", category="satisfaction",
            benchmarks=(BenchmarkSpec("Internal target", 4.0, "Project charter"),),
            decimals=2, floor=1.0,
        ),
    ),
    decisions=(
        DecisionSpec(6, DecisionKind.PIVOT,
                     "Accuracy stuck around 60 % with the off-the-shelf model: fine-tune on "
                     "20 000 posts labelled in our four languages.", "Tom Becker"),
        DecisionSpec(14, DecisionKind.STOP,
                     "Eight months after the pivot accuracy is 64 % against a target of 85 %, "
                     "analysts still read the feeds by hand and benefits are 80 % below plan. "
                     "Stop; keep the labelled posts for the support assistant.",
                     "Sarah Klein, Head of Communications"),
    ),
)
# fmt: on

PROJECTS: tuple[ProjectSpec, ...] = (JAR_LABELS, INVOICES, SENTIMENT)
