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
            4.0, 12, 1.1,
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

TRY_ON = ProjectSpec(
    key="virtual-try-on",
    name="Virtual try-on and beauty advisor",
    business_unit="Beauty - Digital Commerce",
    owner="Camille Laurent",
    use_case="Computer vision and chatbot",
    stage=Stage.PRODUCTION,
    description=(
        "Shoppers try lipstick and foundation shades on a live camera image, and a chat advisor "
        "recommends products for their skin tone and routine. Modelled on the virtual try-on "
        "services of large beauty groups, which report shoppers who use them converting "
        "several times as often."
    ),
    history_months=16,
    horizon_months=36,
    discount_rate=0.10,
    probability_of_success=0.85,
    cost_contingency=0.10,
    risk_premium=0.03,
    costs=(
        CostSpec("try-on-licence", C.LICENSING, 1, 15_000, MONTHLY, low=12_000, high=18_000,
                 description="Try-on SDK licence, per-session tiers"),
        CostSpec("try-on-licence-actual", C.LICENSING, 1, 17_500, MONTHLY, NOW, ACTUAL,
                 description="Try-on SDK licence: traffic above the contracted tier"),
        CostSpec("shade-catalogue", C.DATA, 0, 60_000,
                 description="Shade calibration photos for 2 400 SKUs"),
        CostSpec("shade-catalogue-actual", C.DATA, 0, 72_000, status=ACTUAL,
                 description="Shade calibration: a second photo session for darker shades"),
        CostSpec("integration", C.DEVELOPMENT, 0, 110_000, low=90_000, high=140_000,
                 description="Web and app integration, advisor chat"),
        CostSpec("integration-actual", C.DEVELOPMENT, 0, 104_000, status=ACTUAL,
                 description="Web and app integration, advisor chat"),
        CostSpec("advisor-llm", C.INFRASTRUCTURE, 4, 4_000, MONTHLY,
                 description="Language model behind the beauty advisor"),
        CostSpec("advisor-llm-actual", C.INFRASTRUCTURE, 4, 5_200, MONTHLY, NOW, ACTUAL,
                 description="Language model behind the beauty advisor"),
        CostSpec("advisor-training", C.CHANGE_MANAGEMENT, 3, 20_000,
                 description="Store beauty advisors trained to use and promote it"),
        CostSpec("advisor-training-actual", C.CHANGE_MANAGEMENT, 3, 18_000, status=ACTUAL,
                 description="Store beauty advisors trained to use and promote it"),
    ),
    benefits=(
        BenefitSpec("conversion-margin", HARD, B.REVENUE, 4, 70_000, MONTHLY, confidence=0.75,
                    ramp_months=6, low=40_000, high=100_000,
                    description="Margin on extra orders from try-on users"),
        BenefitSpec("conversion-margin-realized", HARD, B.REVENUE, 4, 64_000, MONTHLY, NOW,
                    REALIZED, ramp_months=6, description="Margin on extra orders, A/B measured"),
        BenefitSpec("fewer-returns", HARD, B.COST_SAVINGS, 6, 9_000, MONTHLY, confidence=0.6,
                    description="Fewer returns of mismatched shades"),
        BenefitSpec("fewer-returns-realized", HARD, B.COST_SAVINGS, 6, 11_000, MONTHLY, NOW,
                    REALIZED, description="Fewer returns of mismatched shades"),
        BenefitSpec("shopping-experience", SOFT, B.CUSTOMER_EXPERIENCE, 4, 25_000, QUARTERLY,
                    confidence=0.7, description="Shoppers find their shade without a store visit"),
        BenefitSpec("shopping-experience-realized", SOFT, B.CUSTOMER_EXPERIENCE, 4, 20_000,
                    QUARTERLY, NOW, REALIZED,
                    description="Shoppers find their shade without a store visit"),
    ),
    kpis=(
        KpiSpec(
            "conversion", "Conversion rate of try-on sessions", "%", 3.1, 6.0, 12, 1.1,
            specific="Orders divided by sessions that used try-on, web and app, monthly",
            relevant_objective="Grow online make-up sales by 20 % this year",
            owner="E-commerce manager", category="customer",
            benchmarks=(
                BenchmarkSpec("Internal target", 6.0, "Digital commerce plan"),
                BenchmarkSpec("Industry: beauty e-commerce conversion", 3.0,
                              "Published e-commerce conversion benchmarks, health and beauty"),
                BenchmarkSpec("Peer: try-on users convert up to 3x as often", 9.3,
                              "Beauty groups' published statements on virtual try-on, "
                              "applied to our baseline"),
            ),
            decimals=2,
        ),
        KpiSpec(
            "adoption", "Product-page visitors who open try-on", "%", 0.0, 20.0, 18, 0.95,
            specific="Share of make-up product-page visitors who start a try-on session",
            relevant_objective="Make try-on the normal way to choose a shade online",
            owner="Camille Laurent", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 20.0, "Digital commerce plan"),),
            floor=0.0,
        ),
        KpiSpec(
            "satisfaction", "Beauty advisor chat satisfaction (CSAT)", "%", 70.0, 85.0, 12, 1.1,
            specific="Share of rated advisor chats scored 4 or 5 out of 5, monthly",
            relevant_objective="Keep service ratings at store level online",
            owner="Customer care lead", category="satisfaction",
            benchmarks=(
                BenchmarkSpec("Internal target", 85.0, "Customer care plan"),
                BenchmarkSpec("Industry: retail chat CSAT", 80.0,
                              "Published customer-service benchmarks, retail"),
            ),
            ceiling=100.0,
        ),
    ),
    decisions=(
        DecisionSpec(3, DecisionKind.CONTINUE,
                     "Shade accuracy accepted by the advisor panel on 2 400 SKUs; launch on the "
                     "web shop first.", "Camille Laurent"),
        DecisionSpec(10, DecisionKind.CONTINUE,
                     "Conversion of try-on sessions doubled; licence above its tier: renegotiate "
                     "before extending to new markets.", "Nadia Haddad, Chief Digital Officer"),
    ),
)

CRM_ASSISTANT = ProjectSpec(
    key="crm-assistant",
    name="CRM assistant for account progress reports",
    business_unit="B2B Sales",
    owner="James Carter",
    use_case="Generative AI assistant",
    stage=Stage.PRODUCTION,
    description=(
        "An assistant in the CRM drafts weekly account progress reports and follow-up emails "
        "from call notes, opportunities and activity history, modelled on the CRM copilots of "
        "the large CRM vendors. Seat licences cost more than planned, poor CRM data spoils "
        "drafts, and adoption by the 400 sellers lags."
    ),
    history_months=14,
    horizon_months=36,
    discount_rate=0.10,
    probability_of_success=0.7,
    cost_contingency=0.15,
    risk_premium=0.04,
    costs=(
        CostSpec("seat-licences", C.LICENSING, 2, 12_000, MONTHLY, low=10_000, high=16_000,
                 description="200 assistant seats"),
        CostSpec("seat-licences-actual", C.LICENSING, 2, 19_000, MONTHLY, NOW, ACTUAL,
                 description="All 400 sellers licensed at once, at the vendor's bundle price"),
        CostSpec("crm-integration", C.DEVELOPMENT, 0, 80_000,
                 description="Report templates, CRM fields and permissions"),
        CostSpec("crm-integration-actual", C.DEVELOPMENT, 0, 96_000, status=ACTUAL,
                 description="Report templates, CRM fields and permissions"),
        CostSpec("data-cleanup", C.DATA, 0, 40_000, description="De-duplicating accounts"),
        CostSpec("data-cleanup-actual", C.DATA, 0, 65_000, status=ACTUAL,
                 description="Duplicate accounts and missing contacts blocked useful drafts"),
        CostSpec("enablement", C.CHANGE_MANAGEMENT, 2, 35_000,
                 description="Classroom training for every sales team"),
        CostSpec("enablement-actual", C.CHANGE_MANAGEMENT, 2, 22_000, status=ACTUAL,
                 description="Training cut back to e-learning"),
        CostSpec("prompt-upkeep", C.MAINTENANCE, 4, 9_000, QUARTERLY,
                 description="Prompt and template upkeep"),
        CostSpec("prompt-upkeep-actual", C.MAINTENANCE, 4, 9_000, QUARTERLY, NOW, ACTUAL,
                 description="Prompt and template upkeep"),
    ),
    benefits=(
        BenefitSpec("seller-time", HARD, B.PRODUCTIVITY, 3, 60_000, MONTHLY, 12, confidence=0.7,
                    ramp_months=6, low=30_000, high=80_000,
                    description="Three hours a week back for each seller, partly spent selling"),
        BenefitSpec("seller-time-replan", HARD, B.PRODUCTIVITY, 13, 22_000, MONTHLY,
                    confidence=0.6, low=10_000, high=35_000,
                    description="Re-planned after the pivot: 150 key-account managers only"),
        BenefitSpec("seller-time-realized", HARD, B.PRODUCTIVITY, 3, 26_000, MONTHLY, NOW,
                    REALIZED, ramp_months=6,
                    description="Only a third of sellers use the drafts weekly"),
        BenefitSpec("win-rate", HARD, B.REVENUE, 8, 15_000, MONTHLY, confidence=0.4,
                    description="Higher win rate from timely follow-ups"),
        BenefitSpec("win-rate-realized", HARD, B.REVENUE, 8, 8_000, MONTHLY, NOW, REALIZED,
                    description="Win rate up slightly in the teams that use it"),
        BenefitSpec("manager-visibility", SOFT, B.EMPLOYEE_SATISFACTION, 3, 15_000, QUARTERLY,
                    confidence=0.8, description="Managers see account progress without chasing"),
        BenefitSpec("manager-visibility-realized", SOFT, B.EMPLOYEE_SATISFACTION, 3, 12_000,
                    QUARTERLY, NOW, REALIZED,
                    description="Managers see account progress without chasing"),
    ),
    kpis=(
        KpiSpec(
            "report-time", "Time to write a weekly account report", "minutes", 45.0, 10.0, 18,
            0.85,
            specific="Median minutes from opening to submitting a report, from CRM logs",
            relevant_objective="Give sellers one more day a month with customers",
            owner="Sales operations", category="efficiency",
            benchmarks=(
                BenchmarkSpec("Internal target", 10.0, "Sales plan"),
                BenchmarkSpec("Vendor reference: report drafted by a CRM copilot", 8.0,
                              "CRM vendors' published customer stories"),
            ),
            floor=3.0,
        ),
        KpiSpec(
            "adoption", "Sellers using the assistant weekly", "%", 0.0, 75.0, 18, 0.6,
            specific="Share of the 400 licensed sellers who accept a draft in a given week, "
            "monthly average",
            relevant_objective="Give sellers one more day a month with customers",
            owner="James Carter", category="adoption",
            benchmarks=(
                BenchmarkSpec("Internal target", 75.0, "Sales plan"),
                BenchmarkSpec("Industry: weekly use of enterprise gen-AI assistants", 45.0,
                              "Published enterprise copilot adoption surveys"),
            ),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Seller rating of the drafts", "score (1-5)", 3.0, 4.2, 18, 0.85,
            specific="Average thumbs-up score of drafts, converted to a 1-5 scale, monthly",
            relevant_objective="Keep the sales tool stack one sellers choose to use",
            owner="Sales operations", category="satisfaction",
            benchmarks=(BenchmarkSpec("Internal target", 4.2, "Sales plan"),),
            decimals=2, ceiling=5.0,
        ),
    ),
    decisions=(
        DecisionSpec(6, DecisionKind.CONTINUE,
                     "Drafts rated useful, but only a third of sellers use them weekly and bad "
                     "CRM data spoils drafts: fix the data first.", "James Carter"),
        DecisionSpec(12, DecisionKind.PIVOT,
                     "Licences 60 % over plan for a third of the expected use: focus on the "
                     "150 key-account managers, drop 250 seats at renewal, add classroom "
                     "training.", "Rachel Moore, VP Sales"),
    ),
)

CONTENT = ProjectSpec(
    key="content-studio",
    name="Generative content for blog and social posts",
    business_unit="Marketing",
    owner="Aisha Rahman",
    use_case="Generative text and images",
    stage=Stage.SCALED,
    description=(
        "Writers brief a generative model with the brand-voice guide and product facts; it "
        "drafts blog posts and social variants that an editor checks. A social post is drafted "
        "in about 10 minutes instead of two hours, and the team publishes far more."
    ),
    history_months=19,
    horizon_months=36,
    discount_rate=0.10,
    probability_of_success=0.9,
    cost_contingency=0.05,
    risk_premium=0.02,
    costs=(
        CostSpec("genai-seats", C.LICENSING, 0, 3_000, MONTHLY,
                 description="Generative writing tool, 30 seats"),
        CostSpec("genai-seats-actual", C.LICENSING, 0, 3_400, MONTHLY, NOW, ACTUAL,
                 description="Generative writing tool, 34 seats"),
        CostSpec("brand-voice", C.DEVELOPMENT, 0, 40_000,
                 description="Brand-voice prompts, templates and review workflow"),
        CostSpec("brand-voice-actual", C.DEVELOPMENT, 0, 38_000, status=ACTUAL,
                 description="Brand-voice prompts, templates and review workflow"),
        CostSpec("style-guide", C.DATA, 1, 10_000,
                 description="Product facts and style guide made machine-readable"),
        CostSpec("style-guide-actual", C.DATA, 1, 12_000, status=ACTUAL,
                 description="Product facts and style guide made machine-readable"),
        CostSpec("editor-training", C.CHANGE_MANAGEMENT, 1, 15_000,
                 description="Editors trained on review and disclosure rules"),
        CostSpec("editor-training-actual", C.CHANGE_MANAGEMENT, 1, 15_000, status=ACTUAL,
                 description="Editors trained on review and disclosure rules"),
        CostSpec("api-usage", C.INFRASTRUCTURE, 2, 1_500, MONTHLY, low=1_000, high=3_000,
                 description="Image and text generation API"),
        CostSpec("api-usage-actual", C.INFRASTRUCTURE, 2, 2_100, MONTHLY, NOW, ACTUAL,
                 description="Image and text generation API"),
    ),
    benefits=(
        BenefitSpec("agency-spend", HARD, B.COST_SAVINGS, 3, 15_000, MONTHLY, confidence=0.9,
                    ramp_months=3, description="Fewer agency-written posts"),
        BenefitSpec("agency-spend-realized", HARD, B.COST_SAVINGS, 3, 17_000, MONTHLY, NOW,
                    REALIZED, ramp_months=3, description="Fewer agency-written posts"),
        BenefitSpec("writer-time", HARD, B.TIME_SAVINGS, 2, 10_000, MONTHLY, confidence=0.85,
                    ramp_months=4, description="Writer hours per post cut from two to half"),
        BenefitSpec("writer-time-realized", HARD, B.TIME_SAVINGS, 2, 12_000, MONTHLY, NOW,
                    REALIZED, ramp_months=4, description="Writer hours per post"),
        BenefitSpec("organic-reach", SOFT, B.BRAND, 4, 20_000, QUARTERLY, confidence=0.6,
                    description="More organic reach from regular posting"),
        BenefitSpec("organic-reach-realized", SOFT, B.BRAND, 4, 16_000, QUARTERLY, NOW,
                    REALIZED, description="Organic reach valued at paid-media prices"),
    ),
    kpis=(
        KpiSpec(
            "drafting-time", "Time to draft a social post", "minutes", 120.0, 15.0, 9, 1.05,
            specific="Median minutes from brief to editor-ready draft, from the workflow tool",
            relevant_objective="Publish three times as much with the same team",
            owner="Content lead", category="efficiency",
            benchmarks=(
                BenchmarkSpec("Internal target", 15.0, "Marketing plan"),
                BenchmarkSpec("Peer: post drafted in 10 minutes instead of hours", 10.0,
                              "Published marketing case studies of generative content"),
            ),
            decimals=0, floor=5.0,
        ),
        KpiSpec(
            "output", "Posts published per month", "posts", 40.0, 110.0, 12, 1.1,
            specific="Blog and social posts published across six markets, from the CMS",
            relevant_objective="Publish three times as much with the same team",
            owner="Content lead", category="output",
            benchmarks=(BenchmarkSpec("Internal target", 110.0, "Marketing plan"),),
            decimals=0,
        ),
        KpiSpec(
            "adoption", "Writers using the studio weekly", "%", 0.0, 90.0, 9, 1.05,
            specific="Share of the 34 writers and editors active in the tool each week",
            relevant_objective="One content workflow for all markets",
            owner="Aisha Rahman", category="adoption",
            benchmarks=(
                BenchmarkSpec("Internal target", 90.0, "Marketing plan"),
                BenchmarkSpec("Industry: marketers using gen-AI at least weekly", 60.0,
                              "Published surveys of marketing teams on generative AI"),
            ),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Editor rating of first drafts", "score (1-5)", 3.2, 4.0, 12, 1.1,
            specific="Average editor score of drafts before edits, monthly sample of 50",
            relevant_objective="Keep the brand voice while publishing more",
            owner="Editor-in-chief", category="satisfaction",
            benchmarks=(BenchmarkSpec("Internal target", 4.0, "Marketing plan"),),
            decimals=2, ceiling=5.0,
        ),
    ),
    decisions=(
        DecisionSpec(5, DecisionKind.SCALE,
                     "Drafting time down from two hours to 20 minutes with brand-voice review: "
                     "extend to all six markets.", "Aisha Rahman"),
        DecisionSpec(15, DecisionKind.CONTINUE,
                     "Quality stable and agency spend down a third; add image variants for "
                     "social next quarter.", "Paul Nguyen, CMO"),
    ),
)

AML = ProjectSpec(
    key="aml-review",
    name="Anti-money-laundering alert review assistant",
    business_unit="Retail Banking - Financial Crime Compliance",
    owner="Henrik Larsen",
    use_case="ML risk scoring and LLM case summaries",
    stage=Stage.PILOT,
    description=(
        "Scores transaction-monitoring alerts and drafts a case summary for the investigator, "
        "so that the great majority of alerts that are false positives close faster and real "
        "cases are escalated sooner. Modelled on banks' published machine-learning AML work, "
        "e.g. a large bank reporting 2-4x more true suspicious activity with 60 % fewer "
        "alerts. Model validation and regulator reviews have pushed costs well over plan."
    ),
    history_months=15,
    horizon_months=48,
    discount_rate=0.11,
    probability_of_success=0.65,
    cost_contingency=0.20,
    risk_premium=0.05,
    costs=(
        CostSpec("model-build", C.DEVELOPMENT, 0, 250_000, low=220_000, high=320_000,
                 description="Alert scoring model and case-summary drafting"),
        CostSpec("model-build-actual", C.DEVELOPMENT, 0, 290_000, status=ACTUAL,
                 description="Alert scoring model and case-summary drafting"),
        CostSpec("model-validation", C.OTHER, 4, 60_000,
                 description="Independent model validation"),
        CostSpec("model-validation-actual", C.OTHER, 4, 140_000, status=ACTUAL,
                 description="Validation, documentation and two rounds of regulator questions"),
        CostSpec("data-pipeline", C.DATA, 0, 90_000,
                 description="Transaction, KYC and case history pipeline"),
        CostSpec("data-pipeline-actual", C.DATA, 0, 120_000, status=ACTUAL,
                 description="Transaction, KYC and case history pipeline"),
        CostSpec("compute", C.INFRASTRUCTURE, 2, 8_000, MONTHLY, low=6_000, high=12_000,
                 description="Scoring and language-model compute in the bank's cloud"),
        CostSpec("compute-actual", C.INFRASTRUCTURE, 2, 11_000, MONTHLY, NOW, ACTUAL,
                 description="Scoring and language-model compute in the bank's cloud"),
        CostSpec("investigator-training", C.CHANGE_MANAGEMENT, 6, 30_000,
                 description="Training the 20 pilot investigators"),
        CostSpec("investigator-training-actual", C.CHANGE_MANAGEMENT, 6, 25_000, status=ACTUAL,
                 description="Training the 20 pilot investigators"),
        CostSpec("platform-licence", C.LICENSING, 3, 80_000, ANNUALLY,
                 description="Case-management platform module"),
        CostSpec("platform-licence-actual", C.LICENSING, 3, 80_000, ANNUALLY, NOW, ACTUAL,
                 description="Case-management platform module"),
    ),
    benefits=(
        BenefitSpec("review-effort", HARD, B.COST_SAVINGS, 6, 70_000, MONTHLY, confidence=0.6,
                    ramp_months=12, low=30_000, high=110_000,
                    description="Investigator hours on false positives, 120 investigators"),
        BenefitSpec("review-effort-realized", HARD, B.COST_SAVINGS, 6, 35_000, MONTHLY, NOW,
                    REALIZED, ramp_months=9, description="Pilot team of 20 investigators only"),
        BenefitSpec("regulatory-risk", SOFT, B.OTHER, 12, 200_000, ANNUALLY, confidence=0.3,
                    low=0, high=500_000, description="Lower risk of regulatory findings"),
        BenefitSpec("investigator-morale", SOFT, B.EMPLOYEE_SATISFACTION, 8, 15_000, QUARTERLY,
                    confidence=0.7, description="Less time on repetitive false positives"),
        BenefitSpec("investigator-morale-realized", SOFT, B.EMPLOYEE_SATISFACTION, 8, 10_000,
                    QUARTERLY, NOW, REALIZED,
                    description="Lower attrition in the pilot team"),
    ),
    kpis=(
        KpiSpec(
            "false-positives", "Alerts fully reviewed that were false positives", "%", 95.0,
            70.0, 18, 0.85,
            specific="Share of alerts reaching full investigation that close without a "
            "report, monthly",
            relevant_objective="Spend investigator time on real risk",
            owner="Head of transaction monitoring", category="quality",
            benchmarks=(
                BenchmarkSpec("Internal target", 70.0, "Financial crime plan"),
                BenchmarkSpec("Industry: false-positive share of AML alerts", 95.0,
                              "Widely cited industry estimates of 90-95 % false positives"),
            ),
            noise=0.05, ceiling=100.0,
        ),
        KpiSpec(
            "review-time", "Median minutes per alert review", "minutes", 45.0, 20.0, 18, 0.8,
            specific="Median handling time per alert in the case-management system",
            relevant_objective="Clear the alert backlog without new hires",
            owner="Henrik Larsen", category="efficiency",
            benchmarks=(
                BenchmarkSpec("Internal target", 20.0, "Financial crime plan"),
                BenchmarkSpec("Vendor reference: review time with case summaries", 15.0,
                              "AML vendors' published customer results"),
            ),
            floor=5.0,
        ),
        KpiSpec(
            "adoption", "Pilot investigators using the case summaries", "%", 0.0, 90.0, 18,
            0.95,
            specific="Share of pilot alerts where the investigator kept the drafted summary",
            relevant_objective="Clear the alert backlog without new hires",
            owner="Henrik Larsen", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 90.0, "Financial crime plan"),),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Investigator rating of the case summaries", "score (1-5)", 3.0,
            4.0, 18, 0.9,
            specific="Average rating given in the monthly pilot survey of 20 investigators",
            relevant_objective="Keep experienced investigators in the team",
            owner="Compliance HR partner", category="satisfaction",
            benchmarks=(BenchmarkSpec("Internal target", 4.0, "Financial crime plan"),),
            decimals=2, ceiling=5.0,
        ),
    ),
    decisions=(
        DecisionSpec(5, DecisionKind.CONTINUE,
                     "Validation found the model sound but under-documented: add 80 000 for "
                     "validation and continue the pilot.", "Henrik Larsen"),
        DecisionSpec(12, DecisionKind.CONTINUE,
                     "Hours per alert down 25 % against 40 % planned and costs 45 % over plan: "
                     "extend the pilot six months before any decision to scale.",
                     "Ingrid Dahl, Chief Compliance Officer"),
    ),
)

PRICING = ProjectSpec(
    key="dynamic-pricing",
    name="Dynamic pricing for the online store",
    business_unit="Retail - E-commerce",
    owner="Lucas Moreau",
    use_case="Price optimisation",
    stage=Stage.PRODUCTION,
    description=(
        "Demand models set daily prices for 30 000 long-tail SKUs within guard-rails set by "
        "category managers, reacting to stock, competitor prices and season. Pricing studies "
        "commonly report margin gains of 2 to 7 %."
    ),
    history_months=21,
    horizon_months=36,
    discount_rate=0.09,
    probability_of_success=0.9,
    cost_contingency=0.08,
    risk_premium=0.02,
    costs=(
        CostSpec("pricing-engine", C.LICENSING, 0, 150_000, ANNUALLY,
                 description="Price optimisation software"),
        CostSpec("pricing-engine-actual", C.LICENSING, 0, 150_000, ANNUALLY, NOW, ACTUAL,
                 description="Price optimisation software"),
        CostSpec("integration", C.DEVELOPMENT, 0, 90_000,
                 description="Price feeds to the shop, ERP and shelf labels"),
        CostSpec("integration-actual", C.DEVELOPMENT, 0, 112_000, status=ACTUAL,
                 description="Price feeds: shelf-label vendor needed a new interface"),
        CostSpec("competitor-feed", C.DATA, 1, 4_000, MONTHLY,
                 description="Competitor price scraping service"),
        CostSpec("competitor-feed-actual", C.DATA, 1, 4_000, MONTHLY, NOW, ACTUAL,
                 description="Competitor price scraping service"),
        CostSpec("category-training", C.CHANGE_MANAGEMENT, 3, 25_000,
                 description="Guard-rail workshops with category managers"),
        CostSpec("category-training-actual", C.CHANGE_MANAGEMENT, 3, 30_000, status=ACTUAL,
                 description="Guard-rail workshops with category managers"),
        CostSpec("compute", C.INFRASTRUCTURE, 2, 3_000, MONTHLY, low=2_500, high=4_500,
                 description="Nightly demand model runs"),
        CostSpec("compute-actual", C.INFRASTRUCTURE, 2, 2_800, MONTHLY, NOW, ACTUAL,
                 description="Nightly demand model runs"),
    ),
    benefits=(
        BenefitSpec("margin", HARD, B.REVENUE, 4, 95_000, MONTHLY, confidence=0.8,
                    ramp_months=6, low=50_000, high=140_000,
                    description="Gross margin +2.5 points on the long tail"),
        BenefitSpec("margin-realized", HARD, B.REVENUE, 4, 104_000, MONTHLY, NOW, REALIZED,
                    ramp_months=6, description="Gross margin gain against control categories"),
        BenefitSpec("markdowns", HARD, B.COST_SAVINGS, 6, 60_000, QUARTERLY, confidence=0.7,
                    description="Lower end-of-season markdowns"),
        BenefitSpec("markdowns-realized", HARD, B.COST_SAVINGS, 6, 52_000, QUARTERLY, NOW,
                    REALIZED, description="Lower end-of-season markdowns"),
        BenefitSpec("price-perception", SOFT, B.CUSTOMER_EXPERIENCE, 6, 10_000, QUARTERLY,
                    confidence=0.5, description="Prices seen as competitive"),
        BenefitSpec("price-perception-realized", SOFT, B.CUSTOMER_EXPERIENCE, 6, 6_000,
                    QUARTERLY, NOW, REALIZED,
                    description="Some shoppers notice price changes within a day"),
    ),
    kpis=(
        KpiSpec(
            "margin", "Gross margin on long-tail SKUs", "%", 31.0, 33.5, 12, 1.15,
            specific="Gross margin of dynamically priced SKUs, monthly, from the ERP",
            relevant_objective="Lift e-commerce operating margin by one point",
            owner="Lucas Moreau", category="financial",
            benchmarks=(
                BenchmarkSpec("Internal target", 33.5, "E-commerce plan"),
                BenchmarkSpec("Industry: pricing analytics, +2 % margin", 33.0,
                              "Consulting pricing studies report 2-7 % margin gains; low end "
                              "applied to our baseline"),
            ),
            decimals=2,
        ),
        KpiSpec(
            "adoption", "Price proposals accepted by category managers", "%", 40.0, 85.0, 12,
            1.05,
            specific="Share of proposed price changes released without manual override",
            relevant_objective="Price the long tail daily without more staff",
            owner="Head of category management", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 85.0, "E-commerce plan"),),
            decimals=0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Customer rating of price fairness", "score (1-5)", 3.8, 4.0, 12,
            0.5,
            specific="Average answer to 'prices are fair' in the post-purchase survey",
            relevant_objective="Keep customer trust while prices move",
            owner="Customer insights", category="satisfaction",
            benchmarks=(
                BenchmarkSpec("Internal target", 4.0, "E-commerce plan"),
                BenchmarkSpec("Competitor average", 3.9, "Quarterly market survey"),
            ),
            decimals=2, noise=0.15,
        ),
    ),
    decisions=(
        DecisionSpec(6, DecisionKind.CONTINUE,
                     "Margin +1.8 points in the first four categories and guard-rails held: "
                     "continue to the rest of the long tail.", "Lucas Moreau"),
        DecisionSpec(18, DecisionKind.SCALE,
                     "Margin target beaten for six months: extend to the core range next "
                     "quarter, with a cap on daily price changes to protect perceived fairness.",
                     "Sophie Martin, Chief Commercial Officer"),
    ),
)

RAG_SUPPORT = ProjectSpec(
    key="rag-support",
    name="Retrieval-augmented support assistant",
    business_unit="Customer Service",
    owner="Elena Petrova",
    use_case="Retrieval-augmented generation",
    stage=Stage.PRODUCTION,
    description=(
        "Answers customer chats from the help centre, policies and order data, and hands over "
        "to an agent with a summary when it cannot. Began on a proprietary model API; token "
        "costs grew with volume, so it moved to an open-source model hosted in-house at the "
        "same answer quality. Modelled on published assistants, e.g. a payments company "
        "reporting two thirds of chats handled and resolution time down from 11 to 2 minutes."
    ),
    history_months=17,
    horizon_months=36,
    discount_rate=0.10,
    probability_of_success=0.85,
    cost_contingency=0.10,
    risk_premium=0.03,
    costs=(
        CostSpec("llm-api", C.LICENSING, 2, 8_000, MONTHLY, 9, low=6_000, high=12_000,
                 description="Proprietary model API, tokens"),
        CostSpec("llm-api-actual", C.LICENSING, 2, 21_000, MONTHLY, 9, ACTUAL,
                 description="Proprietary model API: tokens grew with chat volume"),
        CostSpec("gpu-hosting", C.INFRASTRUCTURE, 10, 8_000, MONTHLY,
                 description="Open-source model on rented GPUs (re-planned after the switch)"),
        CostSpec("gpu-hosting-actual", C.INFRASTRUCTURE, 10, 9_000, MONTHLY, NOW, ACTUAL,
                 description="Open-source model on rented GPUs"),
        CostSpec("rag-build", C.DEVELOPMENT, 0, 100_000,
                 description="Retrieval, answer generation, agent handover"),
        CostSpec("rag-build-actual", C.DEVELOPMENT, 0, 95_000, status=ACTUAL,
                 description="Retrieval, answer generation, agent handover"),
        CostSpec("model-switch-actual", C.DEVELOPMENT, 9, 40_000, status=ACTUAL,
                 description="Move to the open-source model and its evaluation suite"),
        CostSpec("knowledge-base", C.DATA, 0, 45_000,
                 description="Help-centre articles prepared for retrieval"),
        CostSpec("knowledge-base-actual", C.DATA, 0, 60_000, status=ACTUAL,
                 description="Help-centre articles rewritten: many were out of date"),
        CostSpec("agent-training", C.CHANGE_MANAGEMENT, 3, 15_000,
                 description="Agents trained on handovers"),
        CostSpec("agent-training-actual", C.CHANGE_MANAGEMENT, 3, 15_000, status=ACTUAL,
                 description="Agents trained on handovers"),
    ),
    benefits=(
        BenefitSpec("deflection", HARD, B.COST_SAVINGS, 3, 90_000, MONTHLY, confidence=0.8,
                    ramp_months=6, low=60_000, high=120_000,
                    description="Chats resolved without an agent"),
        BenefitSpec("deflection-realized", HARD, B.COST_SAVINGS, 3, 85_000, MONTHLY, NOW,
                    REALIZED, ramp_months=6, description="Chats resolved without an agent"),
        BenefitSpec("faster-resolution", SOFT, B.CUSTOMER_EXPERIENCE, 3, 30_000, QUARTERLY,
                    confidence=0.7, description="Answers in minutes, around the clock"),
        BenefitSpec("faster-resolution-realized", SOFT, B.CUSTOMER_EXPERIENCE, 3, 34_000,
                    QUARTERLY, NOW, REALIZED, description="Answers in minutes, around the clock"),
        BenefitSpec("agent-satisfaction", SOFT, B.EMPLOYEE_SATISFACTION, 6, 8_000, QUARTERLY,
                    confidence=0.6, description="Agents handle fewer repetitive questions"),
    ),
    kpis=(
        KpiSpec(
            "containment", "Chats resolved without an agent", "%", 0.0, 60.0, 15, 1.08,
            specific="Share of chats closed by the assistant with no handover and no repeat "
            "contact within 7 days",
            relevant_objective="Absorb 30 % volume growth without hiring",
            owner="Elena Petrova", category="efficiency",
            benchmarks=(
                BenchmarkSpec("Internal target", 60.0, "Customer service plan"),
                BenchmarkSpec("Peer: assistant handling two thirds of chats", 66.7,
                              "Klarna press release on its AI assistant, February 2024"),
            ),
            floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "resolution-time", "Average resolution time", "minutes", 11.0, 4.0, 12, 1.2,
            specific="Mean minutes from first message to resolution, all chats",
            relevant_objective="Answer every customer within minutes",
            owner="Service quality manager", category="customer",
            benchmarks=(
                BenchmarkSpec("Internal target", 4.0, "Customer service plan"),
                BenchmarkSpec("Peer: resolution time with an AI assistant", 2.0,
                              "Klarna press release on its AI assistant, February 2024"),
            ),
            decimals=2, floor=1.0,
        ),
        KpiSpec(
            "adoption", "Chats started with the assistant", "%", 0.0, 80.0, 12, 1.05,
            specific="Share of chats where the customer did not ask for an agent straight away",
            relevant_objective="Absorb 30 % volume growth without hiring",
            owner="Elena Petrova", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 80.0, "Customer service plan"),),
            decimals=0, floor=0.0, ceiling=100.0,
        ),
        KpiSpec(
            "satisfaction", "Customer satisfaction with assistant chats", "%", 78.0, 85.0, 18,
            0.95,
            specific="Share of rated chats scored 4 or 5 out of 5, monthly",
            relevant_objective="Keep satisfaction at least at the level of human agents",
            owner="Service quality manager", category="satisfaction",
            benchmarks=(
                BenchmarkSpec("Internal target", 85.0, "Customer service plan"),
                BenchmarkSpec("Industry: live-chat CSAT", 83.0,
                              "Published customer-service benchmarks"),
            ),
            ceiling=100.0,
        ),
    ),
    decisions=(
        DecisionSpec(8, DecisionKind.PIVOT,
                     "API token costs at 2.6x plan as volume grows: switch to an open-source "
                     "model hosted in-house; our evaluation puts answer quality within 2 points.",
                     "Elena Petrova"),
        DecisionSpec(13, DecisionKind.CONTINUE,
                     "Running cost down 57 % after the switch and containment on target.",
                     "Elena Petrova"),
        DecisionSpec(16, DecisionKind.SCALE,
                     "Extend to email and the two remaining languages.",
                     "Omar Haddad, VP Customer Service"),
    ),
)

RECOMMENDATIONS = ProjectSpec(
    key="llm-recommendations",
    name="LLM product recommendations",
    business_unit="E-commerce - Personalisation",
    owner="Mei Tanaka",
    use_case="LLM ranking",
    stage=Stage.PILOT,
    description=(
        "A language model reads product descriptions and each shopper's session to rank and "
        "explain 'complete the look' recommendations; an A/B test on 10 % of traffic runs since "
        "month six. Recommendations are reported to drive about a third of revenue at the "
        "largest online retailers."
    ),
    history_months=12,
    horizon_months=36,
    discount_rate=0.10,
    probability_of_success=0.7,
    cost_contingency=0.10,
    risk_premium=0.04,
    costs=(
        CostSpec("model-tuning", C.DEVELOPMENT, 0, 70_000, low=60_000, high=90_000,
                 description="Fine-tuning and ranking service"),
        CostSpec("model-tuning-actual", C.DEVELOPMENT, 0, 74_000, status=ACTUAL,
                 description="Fine-tuning and ranking service"),
        CostSpec("catalogue-enrichment", C.DATA, 1, 30_000,
                 description="Product attributes extracted from descriptions"),
        CostSpec("catalogue-enrichment-actual", C.DATA, 1, 30_000, status=ACTUAL,
                 description="Product attributes extracted from descriptions"),
        CostSpec("inference", C.INFRASTRUCTURE, 5, 6_000, MONTHLY, low=4_000, high=9_000,
                 description="Inference on 10 % of traffic"),
        CostSpec("inference-actual", C.INFRASTRUCTURE, 5, 7_200, MONTHLY, NOW, ACTUAL,
                 description="Inference on 10 % of traffic, longer prompts than planned"),
        CostSpec("ml-engineers", C.TALENT, 0, 12_000, MONTHLY, 17,
                 description="Two ML engineers, part-time"),
        CostSpec("ml-engineers-actual", C.TALENT, 0, 12_000, MONTHLY, NOW, ACTUAL,
                 description="Two ML engineers, part-time"),
        CostSpec("experiments", C.OTHER, 5, 5_000, QUARTERLY,
                 description="A/B testing platform"),
        CostSpec("experiments-actual", C.OTHER, 5, 5_000, QUARTERLY, NOW, ACTUAL,
                 description="A/B testing platform"),
    ),
    benefits=(
        BenefitSpec("basket-uplift", HARD, B.REVENUE, 6, 45_000, MONTHLY, confidence=0.6,
                    ramp_months=6, low=15_000, high=80_000,
                    description="Margin on larger baskets once on all traffic"),
        BenefitSpec("basket-uplift-realized", HARD, B.REVENUE, 6, 4_500, MONTHLY, NOW,
                    REALIZED, description="10 % of traffic in the A/B test"),
        BenefitSpec("discovery", SOFT, B.CUSTOMER_EXPERIENCE, 6, 12_000, QUARTERLY,
                    confidence=0.5, description="Shoppers discover more of the range"),
        BenefitSpec("discovery-realized", SOFT, B.CUSTOMER_EXPERIENCE, 6, 5_000, QUARTERLY,
                    NOW, REALIZED, description="Shoppers discover more of the range"),
    ),
    kpis=(
        KpiSpec(
            "click-through", "Click-through rate on recommendations", "%", 2.0, 3.0, 15, 0.95,
            specific="Clicks on recommendations divided by impressions, test group, monthly",
            relevant_objective="Raise online revenue per visitor by 5 %",
            owner="Mei Tanaka", category="customer",
            benchmarks=(
                BenchmarkSpec("Internal target", 3.0, "Personalisation roadmap"),
                BenchmarkSpec("Industry: e-commerce recommendation click-through", 2.5,
                              "Published personalisation benchmarks"),
            ),
            decimals=2,
        ),
        KpiSpec(
            "basket-value", "Average basket value in the test group", "USD", 62.0, 68.0, 15,
            0.9,
            specific="Mean order value of test-group orders, monthly",
            relevant_objective="Raise online revenue per visitor by 5 %",
            owner="E-commerce analytics", category="financial",
            benchmarks=(
                BenchmarkSpec("Internal target", 68.0, "Personalisation roadmap"),
                BenchmarkSpec("Published LLM re-ranking tests: +6 % basket", 65.7,
                              "Published A/B tests of LLM re-ranking, applied to our baseline"),
            ),
            decimals=2,
        ),
        KpiSpec(
            "adoption", "Shoppers who click a recommendation", "%", 8.0, 15.0, 15, 0.9,
            specific="Share of test-group sessions with at least one recommendation click",
            relevant_objective="Raise online revenue per visitor by 5 %",
            owner="Mei Tanaka", category="adoption",
            benchmarks=(BenchmarkSpec("Internal target", 15.0, "Personalisation roadmap"),),
        ),
        KpiSpec(
            "satisfaction", "Shopper rating of recommendation relevance", "score (1-5)", 3.4,
            4.0, 15, 1.0,
            specific="Average in-page 'was this helpful' rating, test group, monthly",
            relevant_objective="Be the shop that knows its customers' style",
            owner="Customer insights", category="satisfaction",
            benchmarks=(BenchmarkSpec("Internal target", 4.0, "Personalisation roadmap"),),
            decimals=2, ceiling=5.0,
        ),
    ),
    decisions=(
        DecisionSpec(5, DecisionKind.CONTINUE,
                     "Offline evaluation beats the current recommender by 8 % NDCG: start an "
                     "A/B test on 10 % of traffic.", "Mei Tanaka"),
        DecisionSpec(11, DecisionKind.CONTINUE,
                     "Click-through up a third in the test group, basket +5 %, inference 20 % "
                     "over plan: decide on full roll-out after the holiday season.",
                     "Kenji Sato, Head of E-commerce"),
    ),
)
# fmt: on

PROJECTS: tuple[ProjectSpec, ...] = (
    JAR_LABELS,
    TRY_ON,
    CRM_ASSISTANT,
    CONTENT,
    INVOICES,
    AML,
    PRICING,
    RAG_SUPPORT,
    RECOMMENDATIONS,
    SENTIMENT,
)
