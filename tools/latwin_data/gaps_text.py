"""The "Gaps" section of data/SOURCES.md: what the model would want and the raw data lacks,
and what stands in for it. Nothing in the panel fills these."""

GAPS = """
## Gaps: what the model would want and the raw data lacks

| wanted | status | what stands in |
|---|---|---|
| Favourability toward the U.S. and China (Latinobarómetro, Pew, Gallup), exchange alumni | not in the raw data: **the soft power area has no indicator** | nothing is filled; the soft power module must start from documented assumptions. UN voting agreement (`un_agreement_usa`) and U.S. engagement (`us_aid_obligations`) are related but are not soft power and must not be read as such |
| UN General Assembly votes after January 2020 | the unvotes data end with session 74 | `un_agreement_*` end in 2019/2020 and are not carried forward |
| Trade of each country with China (bilateral, by year) | no series (IMF DOTS here has the U.S. as reporter only) | `us_trade_share_gdp` for the U.S. side; `china_finance` for China's lending; no China trade share can be computed |
| Complete coca cultivation series (Colombia, Peru, Bolivia) | only scattered data points | `coca_cultivation_ha` holds the points; it is not interpolated |
| Drug flows toward the U.S. (seizures, prices, overdose deaths by origin) | not in the raw data | none |
| Worldwide Governance Indicators after 2019 | the 2020 release ends in 2019 | carried forward at most 2 years (flagged); V-Dem v16 to 2025 for democracy and corruption |
| Corruption Perceptions Index before 2012 and after 2018 | only 2012-2018 | `vdem_corruption` (to 2025) and `wgi_control_corruption` (to 2019) |
| V-Dem for the eight small Caribbean states (ATG BHS BLZ DMA GRD KNA LCA VCT) | V-Dem does not code them | `fh_political_rights`, `fh_civil_liberties` (all 35, to 2019) and the WGI |
| GDP for Cuba and Venezuela in recent years | WDI GDP ends 2020 (Cuba) and 2014 (Venezuela); no PPP series for either | `gdp_per_capita_maddison` to 2018; no value after |
| Terrorism after 2017 (GTD) and terrorism deaths by country | GTD attack counts to 2017, RAND to 2009 | `terrorist_attacks`, `terrorism_fatalities_rand` |
| Plan Colombia and U.S. security assistance by programme | only total U.S. aid per country (military and economic together) | `us_aid_obligations`, `us_aid_disbursements` |
| Ports-of-entry (OFO) encounters by citizenship | only Border Patrol encounters | `usbp_encounters` undercounts total CBP encounters from FY2020 on |
| Remittances, FDI, inflation | not retrieved | GDP growth is derived from the PPP series (`gdp_per_capita_growth`) |
| Poverty rates | not in the raw data | `gini` and `gini_sedlac` for inequality only |
| Chinese strategic footholds (ports, space stations, 5G) | not in the raw data | `china_finance`, `bri_status` and `recognizes_taiwan` |
| Coups and irregular leader changes by year | not in the raw data | `vdem_regime` and `polity2` changes can mark them; no event list |
| Belt and Road accession years | partial; some rows inferred | `bri_status`/`bri_year` in countries.csv only, not a panel series |
| Ideal points from UN votes (Bailey, Strezhnev & Voeten) | not in the raw data, and not computable from it: ideal points need every UN member's votes to bridge sessions, and the raw file holds only the 35 countries' | `un_alignment_gap` (agreement with the U.S. minus agreement with China) is the position on the U.S.-China axis |
| Border Patrol encounters by month after November 2024 | the monthly file stops in November 2024 (the annual one runs to August 2025) | `usbp_encounters` ends in 2023; `usbp_encounters_fy` has FY2024 and the first 11 months of FY2025 |
| Taiwan recognition before 2008 | the switches file lists only moves toward the PRC since 2000 | `recognizes_taiwan` starts in 2008 |

Raw data read but left out of the panel, because the model and the analyses have no use for
it yet (add it to `tools/latwin_data/catalog.py` when they do): the World Bank CPIA ratings
(nine IDA countries only); the WJP, BTI, EIU and Polity sub-scores; the WGI confidence
intervals and standard errors (useful later as measurement error in calibration); GTD
attacks by target; RSF status categories; SIPRI spending per capita; Claassen confidence
bounds; V-Dem's GDP per capita; UNHCR returned refugees, stateless people and host
communities; U.S. aid appropriations and budget requests; Chinese finance by flow class; the
CBP south-west border file by citizenship group; Border Patrol totals by border region.
"""
