"""The countries latwin models, and the hand-entered facts about them that no raw file holds.

Everything here is either a classification latwin chooses (the subregions, documented in
data/SOURCES.md) or a fact with its public source beside it (OAS status).
"""

# The 33 states of Latin America and the Caribbean: the members of CELAC.
LAC = (
    "ATG", "ARG", "BHS", "BRB", "BLZ", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
    "ECU", "SLV", "GRD", "GTM", "GUY", "HTI", "HND", "JAM", "MEX", "NIC", "PAN", "PRY", "PER",
    "KNA", "LCA", "VCT", "SUR", "TTO", "URY", "VEN",
)
ACTORS = ("USA", "CHN")
ISO3_ALL = frozenset(LAC + ACTORS)

# Six groups that share geography, security problems and U.S. policy instruments:
# Mexico and Brazil are large enough to stand alone; Central America is the SICA isthmus
# (with Belize); the Caribbean adds the CARICOM mainland states Guyana and Suriname to the
# islands; Andean is the coca-producing and Bolivarian arc; the Southern Cone the rest.
SUBREGION = {
    "MEX": "Mexico",
    "BLZ": "Central America", "CRI": "Central America", "SLV": "Central America",
    "GTM": "Central America", "HND": "Central America", "NIC": "Central America",
    "PAN": "Central America",
    "ATG": "Caribbean", "BHS": "Caribbean", "BRB": "Caribbean", "CUB": "Caribbean",
    "DMA": "Caribbean", "DOM": "Caribbean", "GRD": "Caribbean", "HTI": "Caribbean",
    "JAM": "Caribbean", "KNA": "Caribbean", "LCA": "Caribbean", "VCT": "Caribbean",
    "TTO": "Caribbean", "GUY": "Caribbean", "SUR": "Caribbean",
    "BOL": "Andean", "COL": "Andean", "ECU": "Andean", "PER": "Andean", "VEN": "Andean",
    "ARG": "Southern Cone", "CHL": "Southern Cone", "PRY": "Southern Cone",
    "URY": "Southern Cone",
    "BRA": "Brazil",
    "USA": "United States", "CHN": "China",
}

# OAS status as of 2024, entered by hand (no raw file has it). "active" members take part;
# CUB is a member excluded from participation in 1962 (the exclusion was revoked in 2009, and
# Cuba has declined to return); VEN's government denounced the Charter in 2017 (effective
# 2019), the opposition revoked the denunciation in 2019, and the OAS still counts Venezuela
# among 34 members; NIC's withdrawal took effect in November 2023; CHN is a permanent
# observer. Sources are listed in OAS_SOURCES.
OAS_STATUS = {code: ("active", "") for code in LAC + ("USA",)}
OAS_STATUS.update({
    "CUB": ("not participating", "1962"),
    "VEN": ("disputed", "2019"),
    "NIC": ("withdrawn", "2023"),
    "CHN": ("observer", ""),
})
OAS_SOURCES = (
    "https://www.oas.org/en/media_center/press_release.asp?sCodigo=GA-12-09 "
    "(2009 revocation of Cuba's 1962 exclusion)",
    "https://abc.com.py/internacionales/2024/06/27/antigua-y-barbuda-pide-no-perpetuar-"
    "ficcion-de-que-cuba-y-venezuela-son-parte-de-la-oea (2024: OAS counts 34 members after "
    "Nicaragua's withdrawal; Venezuela's 2017 denunciation revoked by the opposition in 2019)",
    "http://everything.explained.today/Organization_of_American_States/ (32 participating "
    "states as of November 2023)",
)
