"""The dictionary: every indicator in the panel, with its unit, valid range, gap policy and
where it comes from. Indicators read straight from one column of one raw file are declared
here with that column (SIMPLE); the ones the build computes are in derived.py.
"""
from dataclasses import dataclass, field

AREAS = ("security", "governance", "economy", "migration", "alignment", "soft power",
         "capacity", "engagement")


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    area: str
    lower: float | None
    upper: float | None
    # Gap policy (see gaps.py): the longest run of missing years filled by linear
    # interpolation between two observed values, and how many years after its last observed
    # value a series is carried forward. 0 = never. Counts of events and flows are never
    # filled; slowly moving indices are.
    interpolate_max_gap: int
    carry_forward_max: int
    source: str
    transformation: str = "as published"


@dataclass(frozen=True)
class Column:
    """Where a simple indicator's values are: one value column of one raw file."""
    file: str
    value: str
    code: str = "iso3"
    name: str | None = "Entity"
    year: str = "Year"
    missing: tuple = ("",)
    variants: bool = False  # skip "<country> (urban)" rows without a code
    where: tuple = field(default=())  # (column, required value) pairs


def _i(*args, **kwargs):
    return Indicator(*args, **kwargs)


_OG = "owid_grapher/"
_OD = "owid_datasets/"
_V16 = "vdem/vdem_v16_selected_indices_biodem.csv"
_V15 = "vdem/vdem_v15_democracy_indices_with_wdi.csv"
_WGI = "governance_wgi_fiw_wjp/wgi_1996_2019_long.csv"
_FIW = "governance_wgi_fiw_wjp/freedom_house_fiw_pr_cl_1972_2019.csv"
_PER_100K = "per 100,000 people per year"


def _vdem16(var):
    return Column(_V16, var, name=None, year="year")


def _vdem15(var):
    return Column(_V15, var, name="country_name", year="year", missing=("", "NA"))


def _wgi(dimension):
    return Column(_WGI, "Estimate", code="Code", name="Country/Territory",
                  missing=("", "NA"), where=(("Indicator", dimension),))


_WGI_TEXT = ("WGI estimate: standard-normal units across all countries of the world, "
             "about -2.5 (worst) to 2.5 (best)")

SIMPLE = [
    # ---- security
    (_i("homicide_rate", "Intentional homicides", _PER_100K, "security", 0, 250, 3, 2,
        "unodc_homicide"),
     Column(_OG + "homicide_rate_unodc.csv", "Homicide rate per 100,000 population", code="Code")),
    (_i("violent_death_rate", "Deaths from all forms of violence (IHME estimate)", _PER_100K,
        "security", 0, 300, 0, 0, "ihme_violence"),
     Column(_OD + "ihme_violence_mortality.csv",
            "Death rate from all forms of violence (IHME (2016))")),
    (_i("terrorism_incidents_rand", "Terrorist incidents (RAND)", "incidents per year",
        "security", 0, 10000, 0, 0, "rand_terrorism"),
     Column(_OD + "rand_terrorism.csv", "Count of terrorist incidents (RAND)")),
    (_i("terrorism_fatalities_rand", "Deaths from terrorism (RAND)", "deaths per year",
        "security", 0, 100000, 0, 0, "rand_terrorism"),
     Column(_OD + "rand_terrorism.csv", "Fatalities due to terrorism (RAND)")),
    (_i("conflict_deaths", "Deaths in organised violence (UCDP: state-based, non-state, "
        "one-sided)", "deaths per year", "security", 0, 1e6, 0, 0, "ucdp",
        "as published; UCDP lists only country-years with events, so a missing year may "
        "mean no recorded event"),
     Column(_OD + "ucdp_conflict_deaths.csv",
            "Violent deaths in conflicts and one-sided violence (UCDP 2019)")),
    (_i("prison_rate", "Prisoners", "per 100,000 people", "security", 0, 2000, 0, 0,
        "wpb_prison", "as published; one snapshot (Sept 2018)"),
     Column(_OD + "prison_population_rate.csv",
            "Prison population rate (World Prison Brief 2018)")),
    # ---- governance
    (_i("vdem_polyarchy", "Electoral democracy index (V-Dem v16)", "index 0-1 (1 = most "
        "democratic)", "governance", 0, 1, 4, 2, "vdem_v16"), _vdem16("v2x_polyarchy")),
    (_i("vdem_regime", "Regimes of the World (V-Dem v16)", "category 0-3 (closed autocracy, "
        "electoral autocracy, electoral democracy, liberal democracy)", "governance", 0, 3,
        0, 0, "vdem_v16"), _vdem16("v2x_regime")),
    (_i("vdem_corruption", "Political corruption index (V-Dem v16)", "index 0-1 (1 = most "
        "corrupt)", "governance", 0, 1, 4, 2, "vdem_v16"), _vdem16("v2x_corr")),
    (_i("vdem_freedom_expression", "Freedom of expression and alternative sources of "
        "information (V-Dem v16)", "index 0-1", "governance", 0, 1, 4, 2, "vdem_v16"),
     _vdem16("v2x_freexp_altinf")),
    (_i("vdem_freedom_association", "Freedom of association, thick (V-Dem v16)", "index 0-1",
        "governance", 0, 1, 4, 2, "vdem_v16"), _vdem16("v2x_frassoc_thick")),
    (_i("vdem_freedom_movement", "Freedom of domestic movement (V-Dem v16)", "index 0-1",
        "governance", 0, 1, 4, 2, "vdem_v16"), _vdem16("v2xcl_dmove")),
    (_i("vdem_civil_society", "Core civil society index (V-Dem v16)", "index 0-1",
        "governance", 0, 1, 4, 2, "vdem_v16"), _vdem16("v2xcs_ccsi")),
    (_i("vdem_physical_integrity", "Physical violence index: freedom from political killings "
        "and torture (V-Dem v16)", "index 0-1 (1 = most respected)", "governance", 0, 1, 4, 2,
        "vdem_v16"), _vdem16("v2x_clphy")),
    (_i("vdem_libdem", "Liberal democracy index (V-Dem v15)", "index 0-1", "governance", 0, 1,
        4, 2, "vdem_v15"), _vdem15("v2x_libdem")),
    (_i("vdem_partipdem", "Participatory democracy index (V-Dem v15)", "index 0-1",
        "governance", 0, 1, 4, 2, "vdem_v15"), _vdem15("v2x_partipdem")),
    (_i("vdem_delibdem", "Deliberative democracy index (V-Dem v15)", "index 0-1",
        "governance", 0, 1, 4, 2, "vdem_v15"), _vdem15("v2x_delibdem")),
    (_i("vdem_egaldem", "Egalitarian democracy index (V-Dem v15)", "index 0-1", "governance",
        0, 1, 4, 2, "vdem_v15"), _vdem15("v2x_egaldem")),
    (_i("wgi_voice_accountability", "Voice and accountability (WGI)", "standard units",
        "governance", -3, 3, 1, 2, "wgi", _WGI_TEXT), _wgi("VoiceandAccountability")),
    (_i("wgi_political_stability", "Political stability and absence of violence/terrorism "
        "(WGI)", "standard units", "governance", -3.5, 3, 1, 2, "wgi", _WGI_TEXT),
     _wgi("PoliticalStability")),
    (_i("wgi_rule_of_law", "Rule of law (WGI)", "standard units", "governance", -3, 3, 1, 2,
        "wgi", _WGI_TEXT), _wgi("RuleofLaw")),
    (_i("wgi_control_corruption", "Control of corruption (WGI)", "standard units",
        "governance", -3, 3, 1, 2, "wgi", _WGI_TEXT), _wgi("ControlofCorruption")),
    (_i("fh_political_rights", "Political rights rating (Freedom House)", "rating 1-7 "
        "(1 = most free)", "governance", 1, 7, 2, 2, "fh_fiw",
        "as published; the year is the file's, which Freedom House labels by edition"),
     Column(_FIW, "Political.Rights", code="Code", name="Country", missing=("", "-"))),
    (_i("fh_civil_liberties", "Civil liberties rating (Freedom House)", "rating 1-7 "
        "(1 = most free)", "governance", 1, 7, 2, 2, "fh_fiw",
        "as published; the year is the file's, which Freedom House labels by edition"),
     Column(_FIW, "Civil.Liberties", code="Code", name="Country", missing=("", "-"))),
    (_i("cpi_score", "Corruption Perceptions Index (Transparency International)",
        "score 0-100 (100 = very clean)", "governance", 0, 100, 1, 2, "ti_cpi"),
     Column(_OD + "cpi_transparency_intl.csv",
            "Corruption Perception Index (Transparency International (2016))")),
    (_i("polity2", "Polity score (Polity5)", "score -10 (autocracy) to 10 (democracy)",
        "governance", -10, 10, 4, 2, "polity5",
        "as published; interruption and transition codes (-66, -77, -88) are missing"),
     Column(_OD + "polity5.csv", "democracy_polity")),
    (_i("eiu_democracy", "Democracy Index (EIU)", "score 0-10", "governance", 0, 10, 1, 2,
        "eiu"), Column(_OD + "eiu_democracy_index.csv", "democracy_eiu")),
    (_i("bti_democracy", "Democracy status (Bertelsmann Transformation Index)", "score 1-10",
        "governance", 1, 10, 1, 2, "bti", "as published; biennial"),
     Column(_OD + "bti_democracy.csv", "democracy_bti")),
    (_i("bmr_democracy", "Democracy, dichotomous (Boix-Miller-Rosato, OWID extension)",
        "1 = democracy, 0 = not", "governance", 0, 1, 0, 0, "bmr"),
     Column(_OD + "bmr_democracy.csv", "regime_bmr_owid")),
    (_i("human_rights_protection", "Latent human rights protection (Fariss et al.)",
        "latent score, higher = more protection", "governance", -5, 6, 2, 2, "fariss_hr"),
     Column(_OD + "human_rights_fariss.csv", "Human rights protection")),
    (_i("press_freedom_fh", "Freedom of the Press (Freedom House)", "score 0-100 "
        "(0 = most free)", "governance", 0, 100, 2, 2, "fh_press"),
     Column(_OD + "freedom_house_press.csv", "Freedom of the Press")),
    (_i("press_freedom_rsf", "World Press Freedom Index (RSF)", "score 0-100 (RSF's scale "
        "of the release: lower = freer before 2022)", "governance", 0, 100, 1, 2, "rsf"),
     Column(_OD + "rsf_press_freedom.csv", "Press Freedom Score")),
    (_i("wjp_rule_of_law", "Rule of Law Index, overall (WJP)", "score 0-1", "governance", 0,
        1, 1, 2, "wjp"),
     Column("governance_wgi_fiw_wjp/wjp_rule_of_law_index_2013_2020.csv", "Overall Score",
            code="Abbreviation", name="Country")),
    (_i("democratic_support", "Public support for democracy (Claassen)", "latent score",
        "governance", -3, 3, 2, 2, "claassen"),
     Column(_OD + "claassen_democratic_support.csv", "democracy_support_claassen")),
    (_i("democratic_satisfaction", "Public satisfaction with democracy (Claassen & "
        "Magalhães)", "latent score", "governance", -3, 3, 2, 2, "claassen"),
     Column(_OD + "claassen_democratic_satisfaction.csv", "democracy_satisf_claassen")),
    # ---- capacity
    (_i("wgi_government_effectiveness", "Government effectiveness (WGI)", "standard units",
        "capacity", -3, 3, 1, 2, "wgi", _WGI_TEXT), _wgi("GovernmentEffectiveness")),
    (_i("wgi_regulatory_quality", "Regulatory quality (WGI)", "standard units", "capacity",
        -3, 3, 1, 2, "wgi", _WGI_TEXT), _wgi("RegulatoryQuality")),
    (_i("military_expenditure_share_gdp", "Military expenditure (SIPRI)", "% of GDP",
        "capacity", 0, 30, 1, 2, "sipri_milex"),
     Column(_OD + "sipri_military_expenditure.csv", "military_expenditure_share_gdp")),
    (_i("military_expenditure_usd", "Military expenditure (SIPRI)", "constant 2019 US$ per "
        "year", "capacity", 0, 2e12, 1, 2, "sipri_milex"),
     Column(_OD + "sipri_military_expenditure.csv", "military_expenditure")),
    (_i("armed_forces_share_population", "Armed forces personnel (IISS via World Bank)",
        "% of population", "capacity", 0, 10, 1, 2, "wb_armed_forces"),
     Column(_OD + "armed_forces_personnel.csv",
            "Armed forces personnel (% of total population) (World Bank (2017))")),
    (_i("education_years", "Average years of education, population 15+ (V-Dem external "
        "variable e_peaveduc)", "years", "capacity", 0, 20, 4, 2, "vdem_v16"),
     _vdem16("e_peaveduc")),
    # ---- economy
    (_i("population", "Population (World Bank)", "people", "economy", 0, 2e9, 0, 0,
        "wb_population"),
     Column("worldbank_datahub/population_total.csv", "Value", code="Country Code",
            name="Country Name")),
    (_i("gdp_usd", "GDP (World Bank)", "current US$ per year", "economy", 0, 1e14, 0, 0,
        "wb_gdp"),
     Column("worldbank_datahub/gdp_current_usd.csv", "Value", code="Country Code",
            name="Country Name")),
    (_i("gdp_per_capita_ppp", "GDP per capita, PPP (World Bank)", "constant international $ "
        "per person per year", "economy", 0, 200000, 0, 0, "wb_gdp_ppp"),
     Column(_OG + "gdp_per_capita_ppp_worldbank.csv", "GDP per capita", code="Code")),
    (_i("gdp_per_capita_maddison", "GDP per capita (Maddison Project 2020)", "2011 "
        "international $ per person per year", "economy", 0, 200000, 0, 0, "maddison"),
     Column(_OD + "maddison_2020.csv", "GDP per capita")),
    (_i("gini", "Gini coefficient of income or consumption (World Bank PIP)", "0-1",
        "economy", 0, 1, 4, 2, "wb_pip_gini",
        "as published for national surveys; urban-only and rural-only series (e.g. "
        "Argentina's) are left out"),
     Column(_OG + "gini_index_pip.csv", "Gini coefficient", code="Code", variants=True)),
    (_i("gini_sedlac", "Gini coefficient of household income (SEDLAC)", "0-1", "economy", 0,
        1, 4, 2, "sedlac"), Column(_OD + "sedlac_gini.csv", "Gini index (SEDLAC)")),
    (_i("economic_freedom", "Economic Freedom of the World (Fraser)", "score 0-10",
        "economy", 0, 10, 4, 2, "fraser_efw", "as published; five-yearly before 2000"),
     Column(_OD + "fraser_economic_freedom.csv", "Economic Freedom of the World")),
    (_i("us_exports", "U.S. goods exports to the country (IMF DOTS, FOB)", "current US$ per "
        "year", "economy", 0, 1e13, 0, 0, "imf_dots"),
     Column("us_trade_aid/imf_dots_usa_goods_trade_with_lac_chn.csv", "us_exports_fob_usd",
            code="partner_iso3", name="partner_name", year="year")),
    (_i("us_imports", "U.S. goods imports from the country (IMF DOTS, CIF)", "current US$ "
        "per year", "economy", 0, 1e13, 0, 0, "imf_dots"),
     Column("us_trade_aid/imf_dots_usa_goods_trade_with_lac_chn.csv", "us_imports_cif_usd",
            code="partner_iso3", name="partner_name", year="year")),
    # ---- migration
    (_i("idps_conflict", "Internally displaced by conflict and violence, stock (IDMC)",
        "people", "migration", 0, 1e8, 0, 0, "idmc"),
     Column("unhcr_refugees/idmc_internal_displacement_lac.csv", "total", code="coo_iso",
            name="coo_name", year="year")),
]
